namespace Dst.Cluster.Transport;

/// <summary>
/// Upper bounds the decoder checks before it allocates anything for a message. Every count and
/// length is also checked against the bytes actually left in the input, so a lying length can
/// never make the decoder allocate more than the input could hold.
/// </summary>
public sealed record CodecLimits
{
    public static CodecLimits Default { get; } = new();

    /// <summary>Entries in one message.</summary>
    public int MaxEntries { get; init; } = 1 << 16;

    /// <summary>Bytes of one entry's data.</summary>
    public int MaxEntryBytes { get; init; } = 64 << 20;

    /// <summary>Bytes of a snapshot's data carried in one message.</summary>
    public int MaxSnapshotBytes { get; init; } = 1 << 30;

    /// <summary>Node ids in each list of a snapshot's membership.</summary>
    public int MaxConfStateIds { get; init; } = 4096;
}
