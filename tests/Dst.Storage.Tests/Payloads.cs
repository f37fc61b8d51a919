namespace Dst.Storage.Tests;

internal static class Payloads
{
    /// <summary>Bytes that differ per index, so a read of the wrong entry cannot pass.</summary>
    public static byte[] For(ulong index, int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)((index * 31) + (ulong)i);
        }
        return bytes;
    }

    /// <summary>
    /// Tiny segments, buffer and cache, so tests cross every boundary with few entries; no zeros laid
    /// ahead, so a segment file ends at its last record (<see cref="PreallocatingOptions"/> lays them).
    /// </summary>
    public static readonly SegmentedLogOptions SmallOptions = new()
    {
        SegmentBytes = 4096,
        WriteBufferBytes = 4096,
        TailCacheEntries = 4,
        TailCacheBytes = 1024,
        PreallocateBytes = 0,
    };

    /// <summary><see cref="SmallOptions"/> laying zeros 1000 bytes at a time ahead of the records.</summary>
    public static readonly SegmentedLogOptions PreallocatingOptions = SmallOptions with { PreallocateBytes = 1000 };
}
