using Dst.Raft.ConfChange;
using Dst.Raft.Tracker;

namespace Dst.Raft;

/// <summary>The leader's side: proposals, replication with flow control, commit, transfer.</summary>
public sealed partial class RaftNode
{
    private bool _appendsPending;

    // The entries of the last append built, shared by every follower asking for the same range:
    // within one term the leader only appends, so (term, from, last index) identifies them.
    private (ulong Term, ulong From, ulong LastIndex) _sharedKey;
    private Entry[] _sharedEntries = [];

    /// <summary>Proposals arrived since the last flush; they go out together (batching).</summary>
    internal bool HasPendingAppends => _appendsPending;

    /// <summary>Sends the batched proposals to every follower in one append each.</summary>
    internal void FlushPendingAppends()
    {
        if (_appendsPending)
        {
            _appendsPending = false;
            if (State == StateRole.Leader)
            {
                BroadcastAppend();
            }
        }
    }

    /// <summary>
    /// Proposes one entry. On the leader it is appended without allocating; elsewhere it is
    /// forwarded to the leader as a message.
    /// </summary>
    public ProposalResult Propose(EntryType type, ReadOnlyMemory<byte> data)
    {
        var entry = new Entry(0, 0, type, data);
        if (State != StateRole.Leader)
        {
            return Step(new Message { Type = MessageType.Propose, From = Id, Entries = [entry] });
        }
        return type == EntryType.Normal ? ProposeCommandAsLeader(data) : ProposeAsLeader([entry]);
    }

    /// <summary>
    /// The hot path: one application command on the leader. The checks of <see cref="ProposeAsLeader"/>
    /// that apply to a Normal entry, without the batch loops.
    /// </summary>
    private ProposalResult ProposeCommandAsLeader(ReadOnlyMemory<byte> data)
    {
        if (Tracker[Id] is null)
        {
            return ProposalResult.DroppedNotMember;
        }
        if (LeadTransferee != None)
        {
            return ProposalResult.DroppedLeaderTransferInProgress;
        }
        if (!TryIncreaseUncommittedSize((ulong)data.Length))
        {
            return ProposalResult.DroppedUncommittedSizeCap;
        }
        Log.Append(new Entry(Term, Log.LastIndex + 1, EntryType.Normal, data));
        _appendsPending = true;
        return ProposalResult.Accepted;
    }

    private ProposalResult ProposeAsLeader(ReadOnlySpan<Entry> proposed)
    {
        if (proposed.Length == 0)
        {
            throw new RaftInvariantException("empty proposal");
        }
        if (Tracker[Id] is null)
        {
            return ProposalResult.DroppedNotMember;
        }
        if (LeadTransferee != None)
        {
            return ProposalResult.DroppedLeaderTransferInProgress;
        }
        var confChangeAt = -1;
        for (var i = 0; i < proposed.Length; i++)
        {
            if (proposed[i].Type != EntryType.ConfChange)
            {
                continue;
            }
            var verdict = CheckConfChange(proposed[i], confChangeAt >= 0);
            if (verdict != ProposalResult.Accepted)
            {
                return verdict;
            }
            confChangeAt = i;
        }
        if (!TryIncreaseUncommittedSize(proposed))
        {
            return ProposalResult.DroppedUncommittedSizeCap;
        }
        var lastIndex = Log.LastIndex;
        for (var i = 0; i < proposed.Length; i++)
        {
            Log.Append(proposed[i] with { Term = Term, Index = lastIndex + 1 + (ulong)i });
        }
        if (confChangeAt >= 0)
        {
            _pendingConfIndex = lastIndex + 1 + (ulong)confChangeAt;
        }
        _appendsPending = true;
        return ProposalResult.Accepted;
    }

    private ProposalResult CheckConfChange(Entry entry, bool anotherInBatch)
    {
        ConfChangeRequest request;
        try
        {
            request = ConfChangeRequest.Decode(entry.Data.Span);
        }
        catch (FormatException)
        {
            return ProposalResult.DroppedInvalidConfChange;
        }
        // One change at a time: the next one is validated against the configuration this one creates.
        if (anotherInBatch || _pendingConfIndex > Log.Applied)
        {
            return ProposalResult.DroppedConfChangePending;
        }
        try
        {
            Changer.Apply(Tracker.Config, request);
        }
        catch (ConfChangeException)
        {
            return ProposalResult.DroppedInvalidConfChange;
        }
        return ProposalResult.Accepted;
    }

    private ProposalResult StepLeader(Message m)
    {
        switch (m.Type)
        {
            case MessageType.Beat:
                BroadcastHeartbeat();
                return ProposalResult.Accepted;
            case MessageType.CheckQuorum:
                if (!Tracker.QuorumActive(Id))
                {
                    BecomeFollower(Term, None);
                    return ProposalResult.Accepted;
                }
                foreach (var id in Tracker.Ids)
                {
                    if (id != Id)
                    {
                        Tracker[id]!.RecentActive = false;
                    }
                }
                return ProposalResult.Accepted;
            case MessageType.Propose:
                var copy = m.Entries.Select(e => e with { Term = 0, Index = 0 }).ToArray();
                return ProposeAsLeader(copy);
            case MessageType.ReadIndex:
                HandleReadIndex(m);
                return ProposalResult.Accepted;
        }

        var progress = Tracker[m.From];
        if (progress is null)
        {
            return ProposalResult.Accepted;
        }
        switch (m.Type)
        {
            case MessageType.AppResp:
                HandleAppendResponse(m, progress);
                break;
            case MessageType.HeartbeatResp:
                progress.RecentActive = true;
                progress.ProbeSent = false;
                if (m.Context > progress.AckedRound)
                {
                    progress.AckedRound = m.Context;
                    OnRoundsAcknowledged();
                }
                // A full window whose answers were lost (a one-way partition) would never drain, and
                // the follower would never learn the commit index: free its oldest slot, so the append
                // below goes out and its answer brings the match up to date.
                if (progress.State == ProgressState.Replicate && progress.Inflights.Full)
                {
                    progress.Inflights.FreeFirstOne();
                }
                if (progress.Match < Log.LastIndex)
                {
                    SendAppend(m.From);
                }
                break;
            case MessageType.SnapStatus:
                if (progress.State == ProgressState.Snapshot)
                {
                    if (m.Reject)
                    {
                        progress.PendingSnapshot = 0;
                    }
                    progress.BecomeProbe();
                    // Wait for the next heartbeat response before probing again.
                    progress.ProbeSent = true;
                }
                break;
            case MessageType.Unreachable:
                if (progress.State == ProgressState.Replicate)
                {
                    progress.BecomeProbe();
                }
                break;
            case MessageType.TransferLeader:
                HandleTransferLeader(m.From, progress);
                break;
        }
        return ProposalResult.Accepted;
    }

    private void HandleAppendResponse(Message m, Progress progress)
    {
        progress.RecentActive = true;
        if (m.Reject)
        {
            var next = m.RejectHint;
            if (m.LogTerm > 0)
            {
                next = Log.FindConflictByTerm(m.RejectHint, m.LogTerm).Index;
            }
            if (progress.MaybeDecrTo(m.Index, next))
            {
                if (progress.State == ProgressState.Replicate)
                {
                    progress.BecomeProbe();
                }
                SendAppend(m.From);
            }
            return;
        }

        var wasPaused = progress.IsPaused;
        if (!progress.MaybeUpdate(m.Index))
        {
            return;
        }
        switch (progress.State)
        {
            case ProgressState.Probe:
                progress.BecomeReplicate();
                break;
            case ProgressState.Snapshot when progress.Match + 1 >= Log.FirstIndex:
                progress.BecomeProbe();
                progress.BecomeReplicate();
                break;
            case ProgressState.Replicate:
                progress.Inflights.FreeLE(m.Index);
                break;
        }
        if (MaybeCommit())
        {
            ReleasePendingReads();
            BroadcastAppend();
        }
        else if (wasPaused)
        {
            SendAppend(m.From);
        }
        // Keep the pipeline full while the window allows.
        while (MaybeSendAppend(m.From, sendIfEmpty: false))
        {
        }
        if (m.From == LeadTransferee && progress.Match == Log.LastIndex)
        {
            SendTimeoutNow(m.From);
        }
    }

    private void HandleTransferLeader(ulong transferee, Progress progress)
    {
        if (progress.IsLearner || transferee == Id || transferee == LeadTransferee)
        {
            return;
        }
        LeadTransferee = transferee;
        // The transfer must finish within an election timeout or it is abandoned (TickHeartbeat).
        _electionElapsed = 0;
        if (progress.Match == Log.LastIndex)
        {
            SendTimeoutNow(transferee);
        }
        else
        {
            SendAppend(transferee);
        }
    }

    private void SendTimeoutNow(ulong to)
    {
        // From here another node may win without waiting out leases: stop serving lease reads.
        _leaseRevoked = true;
        Send(new Message { To = to, Type = MessageType.TimeoutNow });
    }

    private bool MaybeCommit() => Log.MaybeCommit(Tracker.Committed(), Term);

    private void BroadcastAppend()
    {
        foreach (var id in Tracker.Ids)
        {
            if (id != Id)
            {
                SendAppend(id);
            }
        }
    }

    private void SendAppend(ulong to) => MaybeSendAppend(to, sendIfEmpty: true);

    /// <summary>Sends the next batch of entries to <paramref name="to"/> if flow control allows.</summary>
    private bool MaybeSendAppend(ulong to, bool sendIfEmpty)
    {
        var progress = Tracker[to]!;
        if (progress.IsPaused)
        {
            return false;
        }
        var previousIndex = progress.Next - 1;
        if (!Log.TryTerm(previousIndex, out var previousTerm))
        {
            return SendSnapshot(to, progress);
        }
        Entry[] entries = [];
        if (progress.Next <= Log.LastIndex)
        {
            try
            {
                entries = EntriesFrom(progress.Next);
            }
            catch (LogCompactedException)
            {
                return SendSnapshot(to, progress);
            }
        }
        if (entries.Length == 0 && !sendIfEmpty)
        {
            return false;
        }
        ulong bytes = 0;
        foreach (var entry in entries)
        {
            bytes += (ulong)entry.PayloadSize;
        }
        Send(new Message
        {
            To = to,
            Type = MessageType.App,
            Index = previousIndex,
            LogTerm = previousTerm,
            Entries = entries,
            Commit = Log.Committed,
        });
        progress.SentEntries(entries.Length, entries.Length > 0 ? entries[^1].Index : previousIndex, bytes);
        return true;
    }

    /// <summary>
    /// The entries of an append starting at <paramref name="next"/>, up to <see cref="RaftConfig.MaxSizePerMsg"/>.
    /// Without a pool, followers asking for the same range share one array (nobody writes to it);
    /// with one, each message owns its array, because each is returned to the pool on its own.
    /// </summary>
    private Entry[] EntriesFrom(ulong next)
    {
        var pool = _config.EntryArrayPool;
        if (pool is not null)
        {
            return Log.SliceToArray(next, Log.LastIndex + 1, _config.MaxSizePerMsg, _scratch, pool);
        }
        var key = (Term, next, Log.LastIndex);
        if (key != _sharedKey)
        {
            _sharedEntries = Log.SliceToArray(next, Log.LastIndex + 1, _config.MaxSizePerMsg, _scratch, null);
            _sharedKey = key;
        }
        return _sharedEntries;
    }

    private bool SendSnapshot(ulong to, Progress progress)
    {
        if (!progress.RecentActive)
        {
            // Do not ship a snapshot to a peer that may be down.
            return false;
        }
        var snapshot = Log.Snapshot();
        if (snapshot.IsEmpty)
        {
            throw new RaftInvariantException($"peer {to} needs a snapshot but none is available");
        }
        Send(new Message { To = to, Type = MessageType.Snap, Snapshot = snapshot });
        progress.BecomeSnapshot(snapshot.Metadata.Index);
        return true;
    }
}
