namespace Dst.Storage;

/// <summary>
/// Bytes for log entries, carved from 64 KiB blocks: one allocation a block rather than one an entry,
/// and no block on the large object heap. A block is never reused: an entry's bytes, filled once and
/// never changed, stay valid for as long as anything (the log's tail cache, a follower's message, the
/// apply path) holds them. Not thread-safe: each user keeps its own (the tail cache, a Raft host's passes).
/// </summary>
public sealed class EntryArena
{
    private const int BlockBytes = 64 * 1024;
    private const int OwnArrayBytes = BlockBytes / 8; // a larger entry would waste a block's tail

    private byte[] _block = [];
    private int _used;

    /// <summary>Room for one entry of <paramref name="length"/> bytes, to be filled once and never changed.</summary>
    public Memory<byte> Allocate(int length)
    {
        if (length == 0)
        {
            return Memory<byte>.Empty;
        }
        if (length > OwnArrayBytes)
        {
            return GC.AllocateUninitializedArray<byte>(length);
        }
        if (_block.Length - _used < length)
        {
            _block = GC.AllocateUninitializedArray<byte>(BlockBytes);
            _used = 0;
        }
        var memory = _block.AsMemory(_used, length);
        _used += length;
        return memory;
    }

    /// <summary>A copy of <paramref name="data"/> in the arena.</summary>
    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> data)
    {
        var copy = Allocate(data.Length);
        data.CopyTo(copy.Span);
        return copy;
    }
}
