namespace Dst.Storage;

/// <summary>
/// What <see cref="SegmentedLog.Open"/> found and repaired. A non-zero <see cref="DroppedBytes"/>
/// means the last segment ended in a torn or damaged record (a write cut short by a crash); those
/// bytes, which held nothing valid, were truncated away.
/// </summary>
public sealed record LogRecoveryReport
{
    /// <summary>Segment files in use after recovery.</summary>
    public int Segments { get; init; }

    /// <summary>Entries recovered (FirstIndex through LastIndex).</summary>
    public ulong Entries { get; init; }

    /// <summary>Bytes cut from the end of the last segment (0 when its tail was clean).</summary>
    public long DroppedBytes { get; init; }

    /// <summary>The index the first dropped record would have had, or null if nothing was dropped.</summary>
    public ulong? FirstDroppedIndex { get; init; }

    /// <summary>Why the tail was dropped (for the log line an operator reads), or null.</summary>
    public string? DropReason { get; init; }

    /// <summary>Files removed as leftovers of an interrupted compaction or reset.</summary>
    public IReadOnlyList<string> RemovedFiles { get; init; } = [];
}
