namespace Dst.Raft;

/// <summary>Where a snapshot sits in the log and the membership in force at that point.</summary>
public sealed record SnapshotMetadata(ulong Index, ulong Term, ConfState ConfState)
{
    public static readonly SnapshotMetadata Empty = new(0, 0, ConfState.Empty);
}

/// <summary>
/// A point-in-time image of the state machine covering every entry up to
/// <see cref="SnapshotMetadata.Index"/>. <see cref="Data"/> is opaque to the consensus core.
/// </summary>
public sealed record Snapshot(SnapshotMetadata Metadata, ReadOnlyMemory<byte> Data)
{
    public static readonly Snapshot Empty = new(SnapshotMetadata.Empty, ReadOnlyMemory<byte>.Empty);

    public bool IsEmpty => Metadata.Index == 0;
}
