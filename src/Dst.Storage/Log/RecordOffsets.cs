namespace Dst.Storage;

/// <summary>
/// The byte offset of every record of a segment, in order. Kept in fixed blocks of 64 KiB rather than
/// one array that doubles: a full 64 MiB segment holds a million small records, and doubling their
/// offsets would copy megabytes and allocate on the large object heap, whose churn triggers full
/// (gen 2) collections of the whole keyspace. The blocks come from the log's <see cref="OffsetBlockPool"/>
/// and go back to it when the segment is closed.
/// </summary>
internal sealed class RecordOffsets(OffsetBlockPool pool)
{
    private const int BlockShift = 14;
    public const int BlockLength = 1 << BlockShift; // ints: 64 KiB, under the large object threshold
    private const int BlockMask = BlockLength - 1;

    private readonly List<int[]> _blocks = [];

    public int Count { get; private set; }

    public int this[int position]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)position, (uint)Count, nameof(position));
            return _blocks[position >> BlockShift][position & BlockMask];
        }
    }

    public void Add(int offset)
    {
        if ((Count & BlockMask) == 0 && Count >> BlockShift == _blocks.Count)
        {
            _blocks.Add(pool.Rent());
        }
        _blocks[Count >> BlockShift][Count & BlockMask] = offset;
        Count++;
    }

    /// <summary>Keeps the first <paramref name="count"/> offsets (blocks stay allocated for reuse).</summary>
    public void Truncate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)count, (uint)Count, nameof(count));
        Count = count;
    }

    /// <summary>Gives every block back to the pool and holds nothing more (the segment is closed).</summary>
    public void Release()
    {
        foreach (var block in _blocks)
        {
            pool.Return(block);
        }
        _blocks.Clear();
        Count = 0;
    }
}
