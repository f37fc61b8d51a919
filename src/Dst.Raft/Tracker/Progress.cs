namespace Dst.Raft.Tracker;

/// <summary>How the leader is currently replicating to one follower.</summary>
public enum ProgressState
{
    /// <summary>One append per heartbeat interval until the follower's match index is found.</summary>
    Probe,
    /// <summary>Optimistic pipelining: appends stream out, bounded by inflights.</summary>
    Replicate,
    /// <summary>A snapshot is in flight; appends pause until it is reported.</summary>
    Snapshot,
}

/// <summary>The leader's view of one peer (voter or learner).</summary>
public sealed class Progress(ulong next, int maxInflight, ulong maxInflightBytes, bool isLearner)
{
    /// <summary>Highest index known to be replicated on the peer.</summary>
    public ulong Match { get; set; }

    /// <summary>Next index to send.</summary>
    public ulong Next { get; set; } = next;

    public ProgressState State { get; private set; } = ProgressState.Probe;

    /// <summary>Index of the snapshot being sent while in <see cref="ProgressState.Snapshot"/>.</summary>
    public ulong PendingSnapshot { get; set; }

    /// <summary>Heard from since the last CheckQuorum round.</summary>
    public bool RecentActive { get; set; }

    /// <summary>In probe state: an append was sent and no reply (or heartbeat reply) has come back.</summary>
    public bool ProbeSent { get; set; }

    /// <summary>Highest heartbeat round the peer echoed back (ReadIndex confirmation and leases).</summary>
    public ulong AckedRound { get; set; }

    public bool IsLearner { get; set; } = isLearner;

    public Inflights Inflights { get; } = new(maxInflight, maxInflightBytes);

    /// <summary>A new term (or new leader): forget everything learned about this peer.</summary>
    public void ResetForTerm(ulong match, ulong next)
    {
        Reset(ProgressState.Probe);
        Match = match;
        Next = next;
        RecentActive = false;
        AckedRound = 0;
    }

    public void BecomeProbe()
    {
        // Leaving a snapshot: the follower has at least the snapshot, so resume just after it.
        if (State == ProgressState.Snapshot)
        {
            var pending = PendingSnapshot;
            Reset(ProgressState.Probe);
            Next = Math.Max(Match + 1, pending + 1);
        }
        else
        {
            Reset(ProgressState.Probe);
            Next = Match + 1;
        }
    }

    public void BecomeReplicate()
    {
        Reset(ProgressState.Replicate);
        Next = Match + 1;
    }

    public void BecomeSnapshot(ulong snapshotIndex)
    {
        Reset(ProgressState.Snapshot);
        PendingSnapshot = snapshotIndex;
    }

    /// <summary>Accounts for an append carrying entries up to <paramref name="lastIndex"/>.</summary>
    public void SentEntries(int count, ulong lastIndex, ulong bytes)
    {
        switch (State)
        {
            case ProgressState.Replicate:
                if (count > 0)
                {
                    Next = lastIndex + 1;
                    Inflights.Add(lastIndex, bytes);
                }
                break;
            case ProgressState.Probe:
                ProbeSent = true;
                break;
            default:
                throw new RaftInvariantException($"sending entries to a peer in state {State}");
        }
    }

    /// <summary>An acknowledgement up to <paramref name="index"/>; false if it is stale.</summary>
    public bool MaybeUpdate(ulong index)
    {
        var updated = false;
        if (Match < index)
        {
            Match = index;
            updated = true;
            ProbeSent = false;
        }
        Next = Math.Max(Next, index + 1);
        return updated;
    }

    /// <summary>
    /// A rejection of the append at <paramref name="rejected"/>; <paramref name="hint"/> is where to
    /// probe next (fast backtracking). False if the rejection is stale.
    /// </summary>
    public bool MaybeDecrTo(ulong rejected, ulong hint)
    {
        if (State == ProgressState.Replicate)
        {
            // Stale if it rejects something already matched; otherwise fall back to the match.
            if (rejected <= Match)
            {
                return false;
            }
            Next = Match + 1;
            return true;
        }
        // Probe: only the rejection of the append just sent (Next - 1) counts.
        if (Next - 1 != rejected)
        {
            return false;
        }
        Next = Math.Max(Math.Min(rejected, hint + 1), Match + 1);
        ProbeSent = false;
        return true;
    }

    /// <summary>True when no more appends should be sent now (flow control).</summary>
    public bool IsPaused => State switch
    {
        ProgressState.Probe => ProbeSent,
        ProgressState.Replicate => Inflights.Full,
        _ => true,
    };

    private void Reset(ProgressState state)
    {
        ProbeSent = false;
        PendingSnapshot = 0;
        State = state;
        Inflights.Reset();
    }

    public override string ToString() =>
        $"{State} match={Match} next={Next}{(IsLearner ? " learner" : "")}{(State == ProgressState.Snapshot ? $" snap={PendingSnapshot}" : "")}{(IsPaused ? " paused" : "")}";
}
