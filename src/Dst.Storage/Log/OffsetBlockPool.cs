namespace Dst.Storage;

/// <summary>
/// The record-offset blocks of a log's closed segments, kept for the segments it opens next. Offsets
/// live from a record's append until a snapshot compacts it away, long enough that every block was
/// promoted to the oldest generation; under a steady write load new blocks were most of what reached
/// it (4 bytes an entry, about 10 MB in 3 s of SETs over 1M keys), and so what set off the full
/// collections of the whole keyspace. Reused blocks stay where they are. Not thread-safe: the log's
/// owner thread uses it.
/// </summary>
internal sealed class OffsetBlockPool
{
    /// <summary>Blocks kept at most: 8 MiB, the offsets of two full segments of the smallest records.</summary>
    public const int MaxPooledBlocks = 128;

    private readonly Stack<int[]> _blocks = new();

    /// <summary>Blocks held for reuse.</summary>
    public int Count => _blocks.Count;

    /// <summary>A block whose contents are stale: the caller writes each offset before counting it.</summary>
    public int[] Rent() => _blocks.TryPop(out var block) ? block : new int[RecordOffsets.BlockLength];

    public void Return(int[] block)
    {
        if (_blocks.Count < MaxPooledBlocks)
        {
            _blocks.Push(block);
        }
    }
}
