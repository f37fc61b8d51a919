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

    /// <summary>Tiny segments, buffer and cache, so tests cross every boundary with few entries.</summary>
    public static readonly SegmentedLogOptions SmallOptions = new()
    {
        SegmentBytes = 4096,
        WriteBufferBytes = 4096,
        TailCacheEntries = 4,
        TailCacheBytes = 1024,
    };
}
