using Dst.Commands.Hashes;
using Dst.Commands.Lists;
using Dst.Commands.Sets;
using Dst.Protocol;

namespace Dst.Commands.SortedSets;

/// <summary>ZRANDMEMBER and ZSCAN: the read-only ways to look at a sorted set without an order.</summary>
public static partial class SortedSetCommands
{
    private static void ZRandMember(CommandContext context, CommandArgs args)
    {
        if (args.Count == 2)
        {
            if (SortedSetReplies.TryFind(context, args[1], out var single))
            {
                if (single is null)
                {
                    context.Reply.WriteNull();
                }
                else
                {
                    var random = new SeededRandom(context.RandomSeed(args[1]));
                    context.Reply.WriteBulkString(SortedSetEntry.Member(single.Tree.EntryAt(random.Next(single.Count))));
                }
            }
            return;
        }
        if (!RangeArgument.TryParse(context, args[2], -long.MaxValue, long.MaxValue, null, out var requested))
        {
            return;
        }
        var withScores = args.Count == 4;
        if (args.Count > 4 || (withScores && !args.EqualsIgnoreCase(3, "WITHSCORES"u8)))
        {
            context.Reply.WriteError(CommandErrors.Syntax);
            return;
        }
        if (withScores && (requested < -long.MaxValue / 2 || requested > long.MaxValue / 2))
        {
            context.Reply.WriteError("ERR value is out of range");
            return;
        }
        if (!SortedSetReplies.TryFind(context, args[1], out var set))
        {
            return;
        }
        if (set is null || requested == 0)
        {
            context.Reply.WriteArrayHeader(0);
            return;
        }
        WriteRandomMembers(context, set, args[1], requested, withScores);
    }

    /// <summary>A positive count asks for distinct members (all of them when it covers the set); a negative one allows repeats.</summary>
    private static void WriteRandomMembers(CommandContext context, SortedSetObject set, ReadOnlySpan<byte> key, long requested, bool withScores)
    {
        var random = new SeededRandom(context.RandomSeed(key));
        var pairs = withScores && context.Reply.IsResp3;
        if (requested < 0)
        {
            // Repeats allowed: one reply element per draw; a huge count is bounded only by the reply, as in Redis.
            var draws = -requested;
            context.Reply.WriteArrayHeader((int)Math.Min(int.MaxValue, withScores && !pairs ? draws * 2 : draws));
            for (long i = 0; i < draws; i++)
            {
                SortedSetReplies.WriteMember(context.Reply, set.Tree.EntryAt(random.Next(set.Count)), withScores, pairs);
            }
            return;
        }
        if (requested >= set.Count)
        {
            SortedSetReplies.WriteRange(context.Reply, set.Tree.First, set.Count, reverse: false, withScores);
            return;
        }
        // Floyd's sampling: k distinct ranks in k draws, whatever the set's size.
        var count = (int)requested;
        var chosen = new HashSet<int>(count);
        var order = new List<int>(count);
        for (var j = set.Count - count; j < set.Count; j++)
        {
            var pick = random.Next(j + 1);
            var rank = chosen.Add(pick) ? pick : j;
            if (rank == j)
            {
                chosen.Add(j);
            }
            order.Add(rank);
        }
        context.Reply.WriteArrayHeader(withScores && !pairs ? count * 2 : count);
        foreach (var rank in order)
        {
            SortedSetReplies.WriteMember(context.Reply, set.Tree.EntryAt(rank), withScores, pairs);
        }
    }

    private static void ZScan(CommandContext context, CommandArgs args)
    {
        // As HSCAN and SSCAN (and Redis): the options are read only once the key is known to be a sorted set.
        if (!ScanArguments.TryParseCursor(context, args, out var cursor) || !SortedSetReplies.TryFind(context, args[1], out var set))
        {
            return;
        }
        if (set is null)
        {
            context.Reply.WriteRaw(ScanArguments.EmptyReply);
            return;
        }
        if (!ScanArguments.TryParseOptions(context, args, cursor, allowNoValues: false, out var scan))
        {
            return;
        }
        var found = new List<byte[]>();
        var next = set.Scan(cursor, scan.Count, found);
        var kept = 0;
        for (var i = 0; i < found.Count; i++)
        {
            if (scan.Matches(SortedSetEntry.Member(found[i])))
            {
                found[kept++] = found[i];
            }
        }
        found.RemoveRange(kept, found.Count - kept);
        ScanArguments.WriteCursor(context.Reply, next);
        context.Reply.WriteArrayHeader(found.Count * 2);
        Span<byte> text = stackalloc byte[40];
        foreach (var entry in found)
        {
            context.Reply.WriteBulkString(SortedSetEntry.Member(entry));
            // ZSCAN replies scores as bulk strings in RESP3 too, as Redis does.
            context.Reply.WriteBulkString(text[..RespWriter.FormatDouble(SortedSetEntry.Score(entry), text)]);
        }
    }
}
