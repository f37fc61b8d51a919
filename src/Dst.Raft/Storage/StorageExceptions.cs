namespace Dst.Raft;

/// <summary>The requested index lies before the first entry still held (it was compacted into a snapshot).</summary>
public sealed class LogCompactedException(ulong index, ulong firstIndex)
    : Exception($"log index {index} is compacted; the first available index is {firstIndex}")
{
    public ulong Index { get; } = index;
}

/// <summary>The requested index lies after the last entry held.</summary>
public sealed class LogUnavailableException(ulong index, ulong lastIndex)
    : Exception($"log index {index} is unavailable; the last index is {lastIndex}")
{
    public ulong Index { get; } = index;
}

/// <summary>A snapshot older than the one already held was offered.</summary>
public sealed class SnapshotOutOfDateException(ulong offered, ulong held)
    : Exception($"snapshot at index {offered} is older than the held snapshot at index {held}");
