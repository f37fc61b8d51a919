using Dst.Raft;

namespace Dst.Cluster.Hosting;

/// <summary>Timing and durability of a node's Raft groups.</summary>
public sealed record RaftHostOptions
{
    public required ulong NodeId { get; init; }

    /// <summary>One Raft tick. Heartbeats go out every tick; elections start after 8-16 silent ticks (400-800 ms).</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    public int ElectionTicks { get; init; } = 8;

    public int HeartbeatTicks { get; init; } = 1;

    /// <summary>Read every round, so the server's CONFIG SET (appendfsync, snapshot-every-entries) takes effect at once.</summary>
    public Func<HostDurability> Durability { get; init; } = static () => HostDurability.Default;

    /// <summary>Lease-based reads (ReadOnlyOption.LeaseBased) instead of a ReadIndex heartbeat round.</summary>
    public bool LeaseReads { get; init; }

    /// <summary>A read or proposal that waits longer than this for a leader fails rather than hang.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A learner this close to the leader's log is promoted to voter.</summary>
    public ulong PromoteLagEntries { get; init; } = 64;

    internal RaftConfig RaftConfig(ulong applied) => new()
    {
        Id = NodeId,
        ElectionTick = ElectionTicks,
        HeartbeatTick = HeartbeatTicks,
        Applied = applied,
        CheckQuorum = true,
        PreVote = true,
        ReadOnlyOption = LeaseReads ? ReadOnlyOption.LeaseBased : ReadOnlyOption.Safe,
        MaxSizePerMsg = 1 << 20,
        MaxInflightMsgs = 256,
        // Election jitter needs no secrecy: Random.Shared spares a node loading OpenSSL for it.
        Random = new SeededRandom((ulong)Random.Shared.NextInt64()),
    };
}

/// <summary>How a host persists: fsync policy and snapshot cadence.</summary>
/// <param name="SyncEachAppend">fsync every append before it counts (appendfsync always); otherwise only hand it to the OS.</param>
/// <param name="PeriodicSync">With <paramref name="SyncEachAppend"/> off: fsync at least this often (appendfsync everysec); null never.</param>
/// <param name="SnapshotEveryEntries">Take a snapshot (and compact the log behind it) after this many applied entries; 0 never.</param>
/// <param name="SnapshotMinLogBytes">... and only once the entries applied since the last snapshot hold this many bytes.</param>
public readonly record struct HostDurability(bool SyncEachAppend, TimeSpan? PeriodicSync, long SnapshotEveryEntries, long SnapshotMinLogBytes = 0)
{
    public static HostDurability Default { get; } = new(true, null, 100_000);
}
