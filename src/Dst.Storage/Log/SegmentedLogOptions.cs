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

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(SegmentBytes, 4096L, nameof(SegmentBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SegmentBytes, 1L << 30, nameof(SegmentBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(WriteBufferBytes, 4096, nameof(WriteBufferBytes));
        ArgumentOutOfRangeException.ThrowIfNegative(TailCacheBytes, nameof(TailCacheBytes));
        ArgumentOutOfRangeException.ThrowIfNegative(TailCacheEntries, nameof(TailCacheEntries));
    }
}
