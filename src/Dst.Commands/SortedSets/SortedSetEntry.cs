using System.Buffers.Binary;

namespace Dst.Commands.SortedSets;

/// <summary>
/// One member of a sorted set as a single array: the score (8 bytes, little-endian double) and then
/// the member's bytes. The order structure and the member index share the same arrays, so a member
/// costs one allocation. An entry in a sorted set is never changed: a new score is a new entry, so
/// copies of a set (copy-on-write while a snapshot capture is open) share the entries.
/// </summary>
internal static class SortedSetEntry
{
    public const int ScoreSize = sizeof(double);

    public static byte[] Create(ReadOnlySpan<byte> member, double score)
    {
        var entry = GC.AllocateUninitializedArray<byte>(ScoreSize + member.Length);
        BinaryPrimitives.WriteDoubleLittleEndian(entry, score);
        member.CopyTo(entry.AsSpan(ScoreSize));
        return entry;
    }

    public static double Score(byte[] entry) => BinaryPrimitives.ReadDoubleLittleEndian(entry);

    /// <summary>Changes the score of an entry that belongs to no sorted set yet (ZUNION's running totals).</summary>
    public static void SetScore(byte[] entry, double score) => BinaryPrimitives.WriteDoubleLittleEndian(entry, score);

    public static ReadOnlySpan<byte> Member(byte[] entry) => entry.AsSpan(ScoreSize);

    /// <summary>Redis's order: by score, then by member bytes.</summary>
    public static int Compare(byte[] entry, double score, ReadOnlySpan<byte> member)
    {
        var own = Score(entry);
        if (own < score)
        {
            return -1;
        }
        if (own > score)
        {
            return 1;
        }
        return Member(entry).SequenceCompareTo(member);
    }
}
