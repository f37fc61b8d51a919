namespace Dst.Storage;

/// <summary>Tuning for <see cref="SegmentedLog"/>. The defaults suit a server; tests shrink them to exercise rolling and eviction.</summary>
public sealed record SegmentedLogOptions
{
    public static readonly SegmentedLogOptions Default = new();

    /// <summary>A segment is closed and a new one started once it reaches this size (a record is never split).</summary>
    public long SegmentBytes { get; init; } = 64L << 20;

    /// <summary>Appended records gather here and reach the file in large writes (and at every Sync).</summary>
    public int WriteBufferBytes { get; init; } = 256 << 10;

    /// <summary>Payload bytes of the most recent entries kept in memory, so replication reads skip the disk.</summary>
    public long TailCacheBytes { get; init; } = 16L << 20;

    /// <summary>Most entries the tail cache holds, whatever their size.</summary>
    public int TailCacheEntries { get; init; } = 64 << 10;

    /// <summary>
    /// Zeros are written this far ahead of the last record of the active segment (a chunk at a time,
    /// once the records come within half a chunk of the zeros' end). An fsync of records written
    /// over zeros finds the file's size unchanged and flushes data alone: on ext4 that made
    /// fdatasync about 30% faster than appending (bench/README.md, "Preallocated segments").
    /// 0 turns preallocation off.
    /// </summary>
    public int PreallocateBytes { get; init; } = 1 << 20;

    /// <summary>
    /// Once this many bytes have been written out since the last fsync or writeback, the OS is asked to
    /// start writing them to disk without waiting (Linux <c>sync_file_range</c>). Without fsyncs
    /// (appendfsync no, everysec) a full segment's data would otherwise all be flushed by the fsync
    /// that seals it, stalling the log for tens of milliseconds. 0 turns it off.
    /// </summary>
    public int WritebackBytes { get; init; } = 1 << 20;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(SegmentBytes, 4096L, nameof(SegmentBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SegmentBytes, 1L << 30, nameof(SegmentBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(WriteBufferBytes, 4096, nameof(WriteBufferBytes));
        ArgumentOutOfRangeException.ThrowIfNegative(TailCacheBytes, nameof(TailCacheBytes));
        ArgumentOutOfRangeException.ThrowIfNegative(TailCacheEntries, nameof(TailCacheEntries));
        ArgumentOutOfRangeException.ThrowIfNegative(PreallocateBytes, nameof(PreallocateBytes));
        ArgumentOutOfRangeException.ThrowIfNegative(WritebackBytes, nameof(WritebackBytes));
    }
}
