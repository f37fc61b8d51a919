namespace Dst.Commands.Lists;

/// <summary>
/// Redis's <c>list-max-listpack-size</c> rule for how big one packed node may grow. A positive
/// setting caps the entries per node (with Redis's 8 KB safety cap on bytes); -1..-5 cap the bytes
/// per node at 4, 8, 16, 32 or 64 KB. Byte sizes are what a Redis listpack would use for the entries.
/// </summary>
public readonly struct ListFill(int setting)
{
    /// <summary>Redis's <c>SIZE_SAFETY_LIMIT</c>: a count-limited node still stays under 8 KB.</summary>
    private const long SafetyLimit = 8192;

    /// <summary>A listpack's own header (total bytes, entry count) and end byte.</summary>
    public const int ListpackOverhead = 7;

    public int Setting { get; } = setting;

    private long ByteLimit => Setting >= 0 ? SafetyLimit : 4096L << Math.Clamp(-Setting - 1, 0, 4);

    /// <summary>True when a node of <paramref name="count"/> entries and <paramref name="bytes"/> packed bytes is too big.</summary>
    public bool Exceeds(int count, long bytes) =>
        (Setting > 0 && count > Setting) || bytes + ListpackOverhead > ByteLimit;

    /// <summary>Redis converts a quicklist back to a listpack only once it fits in half a node (hysteresis).</summary>
    public bool FitsInHalf(int count, long bytes) =>
        (Setting <= 0 || count <= Setting / 2) && bytes + ListpackOverhead <= ByteLimit / 2;

    /// <summary>The bytes a listpack spends on one string entry: encoding header, the bytes, the back-length.</summary>
    public static int EntrySize(int length)
    {
        var header = length < 64 ? 1 : length < 4096 ? 2 : 5;
        var entry = header + length;
        var backLength = entry < 128 ? 1 : entry < 16384 ? 2 : entry < 2097152 ? 3 : entry < 268435456 ? 4 : 5;
        return entry + backLength;
    }
}
