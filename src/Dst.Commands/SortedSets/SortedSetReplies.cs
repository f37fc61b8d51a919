using Dst.Protocol;

namespace Dst.Commands.SortedSets;

/// <summary>Finding sorted sets and writing their members, with Redis's RESP2/RESP3 shapes.</summary>
internal static class SortedSetReplies
{
    public const string NaNScore = "ERR resulting score is not a number (NaN)";

    public static bool TryFind(CommandContext context, ReadOnlySpan<byte> key, out SortedSetObject? set) =>
        context.TryFindObject(key, out set);

    /// <summary>Keys never hold empty sorted sets: the last removal deletes the key.</summary>
    public static void DeleteIfEmpty(CommandContext context, SortedSetObject set)
    {
        if (set.Count == 0)
        {
            context.Keyspace.Delete(set.Key);
        }
    }

    /// <summary>
    /// <paramref name="count"/> members from <paramref name="cursor"/>, walking down when <paramref name="reverse"/>.
    /// With scores: a flat member, score, ... array in RESP2 and [member, score] pairs in RESP3, as Redis replies.
    /// </summary>
    public static void WriteRange(RespWriter reply, ScoreTree.Cursor cursor, int count, bool reverse, bool withScores)
    {
        var pairs = withScores && reply.IsResp3;
        reply.WriteArrayHeader(withScores && !pairs ? count * 2 : count);
        for (var i = 0; i < count; i++)
        {
            WriteMember(reply, cursor.Entry, withScores, pairs);
            if (reverse)
            {
                cursor.MovePrevious();
            }
            else
            {
                cursor.MoveNext();
            }
        }
    }

    public static void WriteMember(RespWriter reply, byte[] entry, bool withScore, bool asPair)
    {
        if (asPair)
        {
            reply.WriteArrayHeader(2);
        }
        reply.WriteBulkString(SortedSetEntry.Member(entry));
        if (withScore)
        {
            reply.WriteDouble(SortedSetEntry.Score(entry));
        }
    }
}
