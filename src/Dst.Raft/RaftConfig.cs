namespace Dst.Raft;

/// <summary>How a leader confirms it is still leader before serving a read.</summary>
public enum ReadOnlyOption
{
    /// <summary>A heartbeat round acknowledged by a quorum after the read arrived (always safe).</summary>
    Safe,
    /// <summary>
    /// A leader lease, valid only with CheckQuorum and a bounded clock drift (see README); falls back
    /// to <see cref="Safe"/> when the lease is not held.
    /// </summary>
    LeaseBased,
}

public sealed class RaftConfig
{
    /// <summary>This node's id (non-zero).</summary>
    public required ulong Id { get; init; }

    /// <summary>Ticks without hearing from a leader before campaigning (randomized in [E, 2E)).</summary>
    public int ElectionTick { get; init; } = 10;

    public int HeartbeatTick { get; init; } = 1;

    /// <summary>The last index the application had applied when it (re)started this node.</summary>
    public ulong Applied { get; init; }

    /// <summary>Maximum payload bytes per append message (batching limit); at least one entry is always sent.</summary>
    public ulong MaxSizePerMsg { get; init; } = 1 << 20;

    /// <summary>Maximum payload bytes of committed entries in one Ready.</summary>
    public ulong MaxCommittedSizePerReady { get; init; } = 64 << 20;

    /// <summary>Cap on payload bytes the leader holds uncommitted; further proposals are dropped. 0 = no cap.</summary>
    public ulong MaxUncommittedEntriesSize { get; init; } = 64 << 20;

    /// <summary>Maximum append messages in flight to one follower in replicate state (pipelining depth).</summary>
    public int MaxInflightMsgs { get; init; } = 256;

    /// <summary>Maximum payload bytes in flight to one follower. 0 = no limit.</summary>
    public ulong MaxInflightBytes { get; init; }

    public bool CheckQuorum { get; init; } = true;

    public bool PreVote { get; init; } = true;

    public ReadOnlyOption ReadOnlyOption { get; init; } = ReadOnlyOption.Safe;

    /// <summary>
    /// The largest relative rate by which a follower's clock may run faster than the leader's
    /// (0.1 = 10%). The lease is shortened accordingly; see README.
    /// </summary>
    public double MaxClockDrift { get; init; } = 0.1;

    public required IRandomSource Random { get; init; }

    /// <summary>
    /// Where append messages get their entry arrays; null (the default) allocates a fresh array per
    /// append, shared by followers asking for the same range. With a pool every append carries its
    /// own array, which the application returns after sending it (see <see cref="Raft.EntryArrayPool"/>).
    /// </summary>
    public EntryArrayPool? EntryArrayPool { get; init; }

    /// <summary>Lease length in leader ticks: floor((E - 1) / (1 + drift)).</summary>
    public int LeaseTicks => (int)Math.Floor((ElectionTick - 1) / (1 + MaxClockDrift));

    public void Validate()
    {
        if (Id == 0)
        {
            throw new ArgumentException("node id 0 is reserved", nameof(Id));
        }
        if (HeartbeatTick <= 0 || ElectionTick <= HeartbeatTick)
        {
            throw new ArgumentException($"need 0 < heartbeat tick ({HeartbeatTick}) < election tick ({ElectionTick})");
        }
        if (MaxInflightMsgs <= 0)
        {
            throw new ArgumentException("max inflight messages must be positive", nameof(MaxInflightMsgs));
        }
        if (MaxInflightBytes != 0 && MaxInflightBytes < MaxSizePerMsg)
        {
            throw new ArgumentException("max inflight bytes must be at least max size per message", nameof(MaxInflightBytes));
        }
        if (ReadOnlyOption == ReadOnlyOption.LeaseBased && !CheckQuorum)
        {
            throw new ArgumentException("lease-based reads require CheckQuorum", nameof(ReadOnlyOption));
        }
        if (MaxClockDrift < 0 || LeaseTicks < 1)
        {
            throw new ArgumentException("clock drift bound leaves no lease", nameof(MaxClockDrift));
        }
    }
}

/// <summary>The outcome of a proposal. Anything but <see cref="Accepted"/> means the entry was not appended.</summary>
public enum ProposalResult
{
    /// <summary>Appended by the leader (or forwarded to it); commit is still not guaranteed.</summary>
    Accepted,
    DroppedNoLeader,
    DroppedLeaderTransferInProgress,
    DroppedUncommittedSizeCap,
    DroppedNotMember,
    DroppedConfChangePending,
    DroppedInvalidConfChange,
}

public enum StateRole
{
    Follower,
    PreCandidate,
    Candidate,
    Leader,
}

/// <summary>A linearizable read point: once the state machine has applied <see cref="Index"/>, the read identified by <see cref="RequestContext"/> may be served.</summary>
public readonly record struct ReadState(ulong Index, ulong RequestContext);

/// <summary>Volatile state worth reporting when it changes.</summary>
public readonly record struct SoftState(ulong Lead, StateRole Role);
