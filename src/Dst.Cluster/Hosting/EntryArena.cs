namespace Dst.Cluster.Hosting;

/// <summary>
/// Where a leader's new entries get their bytes: carved from 64 KiB blocks, one allocation per block
/// rather than per entry. A block is never reused; an entry keeps its block alive for as long as the
/// log, a follower's message or the apply path still holds the entry. Used inside the host's passes only,
/// which never overlap.
/// </summary>
public sealed class EntryArena
{
    private const int BlockBytes = 64 * 1024; // under the large object threshold
    private const int OwnArrayBytes = BlockBytes / 8;

    private byte[] _block = [];
    private int _used;

    /// <summary>Room for one entry of <paramref name="length"/> bytes, to be filled once and never changed.</summary>
    public Memory<byte> Allocate(int length)
    {
        if (length > OwnArrayBytes)
        {
            return GC.AllocateUninitializedArray<byte>(length); // a large entry would waste a block's tail
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
}
