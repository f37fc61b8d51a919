namespace Dst.Raft;

/// <summary>
/// Linearizable reads. ReadIndex (safe): the read point is the commit index when the request
/// arrives, released once a quorum acknowledged a heartbeat round sent after it (so we were still
/// leader). Lease: with CheckQuorum, a leader whose quorum acknowledged a heartbeat sent at tick t
/// serves reads without a round trip until t + LeaseTicks (see README for the clock-drift bound).
/// Heartbeat rounds are numbered per term; followers echo the round in their responses.
/// </summary>
public sealed partial class RaftNode
{
    private readonly record struct PendingRead(ulong Round, ulong Index, ulong From, ulong Context);

    private readonly Queue<PendingRead> _pendingReads = new();
    private readonly List<Message> _readsAwaitingCommit = [];
    private readonly Queue<(ulong Round, ulong Tick)> _roundsSent = new();
    private ulong _round;
    private ulong _leaseMinRound;
    private ulong _leaseAnchorTick;
    private bool _hasLeaseAnchor;
    private bool _leaseRevoked;

    /// <summary>Whether this leader currently holds a read lease.</summary>
    public bool HoldsLease => State == StateRole.Leader
        && IsLeaseReads
        && _hasLeaseAnchor
        && !_leaseRevoked
        && LeadTransferee == None
        && _ticks < _leaseAnchorTick + (ulong)_config.LeaseTicks;

    /// <summary>Requests a read point for the application's request <paramref name="context"/>.</summary>
    public void ReadIndex(ulong context) => Step(new Message { Type = MessageType.ReadIndex, From = Id, Context = context });

    private void HandleReadIndex(Message m)
    {
        if (Tracker.IsSingleton)
        {
            RespondRead(m, Log.Committed);
            return;
        }
        // Until an entry of this term commits, our commit index may lag the previous leader's (§6.4).
        if (Log.TermOrZero(Log.Committed) != Term)
        {
            _readsAwaitingCommit.Add(m);
            return;
        }
        ServeRead(m);
    }

    private void ServeRead(Message m)
    {
        if (HoldsLease)
        {
            RespondRead(m, Log.Committed);
            return;
        }
        _pendingReads.Enqueue(new PendingRead(_round + 1, Log.Committed, m.From, m.Context));
        if (IsOwnRead(m))
        {
            SendReadRound();
        }
        else
        {
            BroadcastHeartbeat(); // the asking follower learns the commit index from it too
        }
    }

    /// <summary>A read the application asked of this node, not one a follower forwarded.</summary>
    private bool IsOwnRead(Message m) => m.From == None || m.From == Id;

    private void RespondRead(Message m, ulong index)
    {
        if (IsOwnRead(m))
        {
            _readStates.Add(new ReadState(index, m.Context));
        }
        else
        {
            Send(new Message { To = m.From, Type = MessageType.ReadIndexResp, Index = index, Context = m.Context });
        }
    }

    /// <summary>Serves reads that waited for this term's first commit.</summary>
    private void ReleasePendingReads()
    {
        if (_readsAwaitingCommit.Count == 0 || Log.TermOrZero(Log.Committed) != Term)
        {
            return;
        }
        var waiting = _readsAwaitingCommit.ToArray();
        _readsAwaitingCommit.Clear();
        foreach (var m in waiting)
        {
            ServeRead(m);
        }
    }

    private void BroadcastHeartbeat()
    {
        StartRound();
        foreach (var id in Tracker.Ids)
        {
            if (id != Id)
            {
                SendHeartbeat(id);
            }
        }
        OnRoundsAcknowledged();
    }

    /// <summary>
    /// A round for the leader's own reads asks only as many voters as complete a quorum with it: the
    /// ones that answered the latest rounds. Confirming leadership needs no more, and every follower
    /// woken costs CPU that the reads share. Should one of them not answer, the next heartbeat round,
    /// which goes to every member, confirms the reads instead (and makes the others the latest).
    /// </summary>
    private void SendReadRound()
    {
        var voters = Tracker.Config.Voters.Incoming;
        var needed = voters.Count / 2;
        if (Tracker.Config.IsJoint || !voters.Contains(Id) || voters.Count > MaxTargetedRoundVoters)
        {
            BroadcastHeartbeat();
            return;
        }
        StartRound();
        Span<ulong> others = stackalloc ulong[MaxTargetedRoundVoters];
        var count = 0;
        for (var i = 0; i < voters.Count; i++)
        {
            if (voters.Ids[i] != Id)
            {
                others[count++] = voters.Ids[i];
            }
        }
        // Partial selection sort: the few most recent answerers first, ties to the lower id.
        for (var i = 0; i < needed; i++)
        {
            var best = i;
            for (var j = i + 1; j < count; j++)
            {
                if (Tracker[others[j]]!.AckedRound > Tracker[others[best]]!.AckedRound)
                {
                    best = j;
                }
            }
            (others[i], others[best]) = (others[best], others[i]);
            SendHeartbeat(others[i]);
        }
        OnRoundsAcknowledged();
    }

    /// <summary>Larger groups broadcast read rounds (the selection is quadratic, and such groups are rare).</summary>
    private const int MaxTargetedRoundVoters = 9;

    private void StartRound()
    {
        _round++;
        Tracker[Id]!.AckedRound = _round;
        _roundsSent.Enqueue((_round, _ticks));
    }

    private void SendHeartbeat(ulong to) => Send(new Message
    {
        To = to,
        Type = MessageType.Heartbeat,
        Commit = Math.Min(Tracker[to]!.Match, Log.Committed),
        Context = _round,
    });

    private void OnRoundsAcknowledged()
    {
        var acked = Tracker.QuorumAckedRound();
        while (_pendingReads.TryPeek(out var read) && read.Round <= acked)
        {
            _pendingReads.Dequeue();
            RespondRead(new Message { From = read.From, Context = read.Context }, read.Index);
        }
        while (_roundsSent.TryPeek(out var sent) && sent.Round <= acked)
        {
            _roundsSent.Dequeue();
            if (sent.Round >= _leaseMinRound)
            {
                _leaseAnchorTick = sent.Tick;
                _hasLeaseAnchor = true;
            }
        }
    }

    private void InvalidateLease()
    {
        _hasLeaseAnchor = false;
        _leaseMinRound = _round + 1;
    }

    private void ResetReadsAndLease()
    {
        _pendingReads.Clear();
        _readsAwaitingCommit.Clear();
        _roundsSent.Clear();
        _round = 0;
        _leaseMinRound = 0;
        _hasLeaseAnchor = false;
        _leaseRevoked = false;
    }
}
