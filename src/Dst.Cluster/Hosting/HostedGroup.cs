using System.Runtime.InteropServices;
using Dst.Raft;
using Dst.Raft.ConfChange;
using Dst.Raft.Tracker;
using Dst.Storage;
using Microsoft.Extensions.Logging;

namespace Dst.Cluster.Hosting;

/// <summary>
/// One Raft group on this node: its <see cref="RawNode"/>, durable storage, state machine and member
/// addresses, plus the proposals and reads waiting on it. Only the host's loop thread touches it,
/// except <see cref="Status"/> and <see cref="ServesLocalReads"/>, which are published for everyone.
/// A round is <see cref="CollectReady"/> (persist in memory, and a leader sends), the host's fsync,
/// then <see cref="FinishReady"/> (send, apply, answer, advance). Reads (ReadIndex rounds) and
/// snapshots live in the partial files beside this one.
/// </summary>
public sealed partial class HostedGroup
{
    private readonly RaftHost _host;
    private readonly RaftHostOptions _options;
    private readonly Queue<PendingProposal> _pending = new();
    private readonly List<CommittedEntry> _applying = [];
    private List<IReadRequest> _queuedReads = [];
    private readonly List<ReadBatch> _readBatches = [];
    private ulong _nextReadContext = 1;
    private Ready? _ready;
    private bool _sentEarly;
    // The last index written out by a previous round's sync (fsync or flush, as the durability mode says).
    private ulong _persistedIndex;
    // How many of the current Ready's committed entries CollectReady applied before the sync.
    private int _appliedEarly;
    private long _ticks;
    private long _statusBuiltAtTick;
    private GroupStatus _status;
    private Membership? _membership;
    private volatile bool _servesLocalReads;
    private int _readRoundInFlight; // 1 while a ReadIndex round is unanswered, see ReadRoundInFlight
    private ulong _previousSnapshotIndex;
    // At most one snapshot is written at a time; SAVEs wait for the one covering their applied index.
    private SnapshotJob? _snapshotJob;

    // The automatic snapshot's growth rule (MaybeSnapshot): entry bytes applied since the last capture,
    // and the size of the last snapshot this node wrote.
    private long _bytesAppliedSinceCapture;
    private long _lastSnapshotBytes;
    private readonly List<SnapshotWaiter> _snapshotWaiters = [];

    internal HostedGroup(RaftHost host, ulong id, RaftHostOptions options, DurableRaftStorage storage, IReplicatedStateMachine machine, AddressBook addresses)
    {
        _host = host;
        _options = options;
        Id = id;
        Storage = storage;
        Machine = machine;
        Addresses = addresses;
        var snapshot = storage.Snapshot();
        if (!snapshot.IsEmpty)
        {
            var image = SnapshotEnvelope.Unwrap(snapshot.Data.Span, addresses);
            if (machine.AppliedIndex < snapshot.Metadata.Index && !image.IsEmpty)
            {
                machine.Restore(snapshot.Metadata.Index, image);
            }
        }
        _previousSnapshotIndex = snapshot.Metadata.Index;
        _persistedIndex = storage.LastIndex; // what a restart recovers is on disk
        Raw = new RawNode(options.RaftConfig(Math.Min(machine.AppliedIndex, storage.InitialState().HardState.Commit)), storage);
        _status = BuildStatus();
    }

    public ulong Id { get; }

    public RawNode Raw { get; }

    public DurableRaftStorage Storage { get; }

    public IReplicatedStateMachine Machine { get; }

    public AddressBook Addresses { get; }

    /// <summary>The latest published picture of the group; safe from any thread.</summary>
    public GroupStatus Status => Volatile.Read(ref _status);

    /// <summary>
    /// This node is the only voter and leads with an entry of its term committed: no other leader can
    /// exist, and every acknowledged write is applied before it is answered, so local state is
    /// linearizable without a ReadIndex round. Safe from any thread.
    /// </summary>
    public bool ServesLocalReads => _servesLocalReads;

    /// <summary>A snapshot is being written in the background (INFO's <c>rdb_bgsave_in_progress</c>). Safe from any thread.</summary>
    public bool SnapshotInProgress => Volatile.Read(ref _snapshotJob) is not null;

    private RaftNode Raft => Raw.Raft;

    internal void Propose(IProposal proposal, long leaderTimeMs)
    {
        if (Raft.State != StateRole.Leader)
        {
            proposal.Abandon(ProposalAbandoned.NotLeader, Raft.Lead);
            return;
        }
        var result = Raw.Propose(proposal.BuildEntry(leaderTimeMs, _host.Arena));
        if (result != ProposalResult.Accepted)
        {
            proposal.Abandon(ProposalAbandoned.Dropped, Raft.Lead);
            return;
        }
        _pending.Enqueue(new PendingProposal(Raft.Log.LastIndex, Raft.Term, _ticks, proposal));
        proposal.Appended(Raft.Log.LastIndex);
    }

    internal bool ProposeConfChange(ConfChangeRequest change, out string? error)
    {
        if (Raft.State != StateRole.Leader)
        {
            error = "not the leader";
            return false;
        }
        var result = Raw.ProposeConfChange(change);
        error = result == ProposalResult.Accepted ? null : result.ToString();
        return error is null;
    }

    internal void Tick()
    {
        _ticks++;
        Raw.Tick();
        var timeoutTicks = (long)Math.Ceiling(_options.RequestTimeout / _options.TickInterval);
        for (var i = _readBatches.Count - 1; i >= 0; i--)
        {
            var batch = _readBatches[i];
            if (_ticks - batch.IssuedAtTick > timeoutTicks)
            {
                _readBatches.RemoveAt(i);
                batch.Fail(ProposalAbandoned.TimedOut, Raft.Lead);
            }
        }
        NoteReadRoundAnswered();
        // A proposal appended by a leader that has since lost its quorum would otherwise wait for as
        // long as the partition lasts; its client hears "unknown outcome" instead.
        while (Raft.State != StateRole.Leader && _pending.TryPeek(out var head) && _ticks - head.ProposedAtTick > timeoutTicks)
        {
            _pending.Dequeue();
            head.Proposal.Abandon(ProposalAbandoned.OutcomeUnknown, Raft.Lead);
        }
        PromoteCaughtUpLearner();
    }

    /// <summary>
    /// Takes the group's Ready, if any, and writes it to storage (not yet synced). A leader's appends
    /// go out now, and committed entries already persisted in an earlier round are applied now (with
    /// the read points this Ready releases), so their clients are answered without waiting for the
    /// fsync of the entries appended in this round.
    /// </summary>
    internal bool CollectReady()
    {
        if (!Raw.HasReady())
        {
            return false;
        }
        var ready = Raw.GetReady();
        _ready = ready;
        if (ready.SoftState is { } soft)
        {
            // Operators (and failing tests) need to see elections: who leads, from which term on.
            _host.Logger.LogInformation("Group {Group}: {Role} in term {Term}, leader {Leader}", Id, soft.Role, Raft.Term, soft.Lead == RaftNode.None ? "none" : soft.Lead);
        }
        _appliedEarly = 0;
        var snapshot = ready.Snapshot;
        if (snapshot is not null)
        {
            InstallSnapshot(snapshot);
            _persistedIndex = 0; // until the next sync
        }
        if (ready.Entries.Count > 0)
        {
            // Appending may replace a follower's unsynced or conflicting tail from here on.
            _persistedIndex = Math.Min(_persistedIndex, ready.Entries[0].Index - 1);
        }
        Storage.Append(ready.Entries);
        if (ready.HardState is { } hardState)
        {
            Storage.SetHardState(hardState);
        }
        _sentEarly = Raft.State == StateRole.Leader && OnlyLeaderMessages(ready.Messages);
        if (_sentEarly)
        {
            SendMessages(ready.Messages);
        }
        ApplyPersistedCommitted(ready);
        TakeReadPoints(ready);
        ServeReads();
        return true;
    }

    /// <summary>Whether the collected Ready needs the fsync before its messages and applies.</summary>
    internal bool NeedsSync => _ready is { MustSync: true };

    /// <summary>Whether collecting the Ready applied entries an earlier round had synced: their replies are ready before this round's fsync.</summary>
    internal bool AppliedEarly => _appliedEarly > 0;

    internal void Sync()
    {
        if (_options.Durability().SyncEachAppend)
        {
            Storage.Sync();
        }
        else
        {
            Storage.Flush();
        }
        _persistedIndex = Storage.LastIndex;
    }

    /// <summary>After the fsync: sends, applies, serves reads, advances, and publishes the new status.</summary>
    internal void FinishReady()
    {
        var ready = _ready!;
        _ready = null;
        if (!_sentEarly)
        {
            SendMessages(ready.Messages);
        }
        if (ready.CommittedEntries.Count > _appliedEarly)
        {
            ApplyCommitted(CollectionsMarshal.AsSpan(ready.CommittedEntries)[_appliedEarly..]);
        }
        Raw.Advance();
        ServeReads();
        MaybeSnapshot();
    }

    internal void PublishStatus()
    {
        var status = _status;
        var raft = Raft;
        if (status.Term != raft.Term || status.LeaderId != raft.Lead || status.Role != raft.State
            || status.CommitIndex != raft.Log.Committed || status.AppliedIndex != Machine.AppliedIndex
            || status.LastIndex != raft.Log.LastIndex || status.SnapshotIndex != Storage.SnapshotMetadata.Index
            || _ticks - _statusBuiltAtTick >= 4)
        {
            // Peers' match indexes move without anything above changing: refresh them every 4 ticks.
            _statusBuiltAtTick = _ticks;
            Volatile.Write(ref _status, BuildStatus());
        }
        _servesLocalReads = raft.State == StateRole.Leader && raft.Tracker.IsSingleton && raft.Tracker.IsVoter(raft.Id)
            && raft.Log.TermOrZero(raft.Log.Committed) == raft.Term && Machine.AppliedIndex >= raft.Log.Committed;
    }

    /// <summary>The host is stopping or storage failed: every waiting client hears so.</summary>
    internal void AbandonAll(ProposalAbandoned reason)
    {
        if (_snapshotJob is { } job)
        {
            // The loop will not install it any more: stop its writer before storage closes.
            Volatile.Write(ref _snapshotJob, null);
            job.Cancel();
            job.Written.Wait();
        }
        foreach (var waiter in _snapshotWaiters)
        {
            waiter.Done("the node is stopping");
        }
        _snapshotWaiters.Clear();
        while (_pending.TryDequeue(out var pending))
        {
            pending.Proposal.Abandon(reason, Raft.Lead);
        }
        foreach (var batch in _readBatches)
        {
            batch.Fail(reason, Raft.Lead);
        }
        _readBatches.Clear();
        NoteReadRoundAnswered();
        foreach (var read in _queuedReads)
        {
            read.Fail(reason, Raft.Lead);
        }
        _queuedReads.Clear();
    }

    /// <summary>
    /// Applies the committed entries of <paramref name="ready"/> that were persisted in an earlier
    /// round (Raft's contract asks only that an entry be persisted before it is applied); the rest
    /// wait for this round's sync in <see cref="FinishReady"/>.
    /// </summary>
    private void ApplyPersistedCommitted(Ready ready)
    {
        var committed = CollectionsMarshal.AsSpan(ready.CommittedEntries);
        var count = 0;
        while (count < committed.Length && committed[count].Index <= _persistedIndex)
        {
            count++;
        }
        if (count > 0)
        {
            ApplyCommitted(committed[..count]);
            _appliedEarly = count;
        }
    }

    private void ApplyCommitted(ReadOnlySpan<Entry> committed)
    {
        _applying.Clear(); // in case an apply that threw left some
        foreach (var entry in committed)
        {
            _bytesAppliedSinceCapture += entry.Data.Length;
            var proposal = MatchPending(entry);
            if (entry.Type == EntryType.ConfChange)
            {
                ApplyConfChange(entry);
            }
            _applying.Add(new CommittedEntry(entry, proposal));
        }
        Machine.Apply(CollectionsMarshal.AsSpan(_applying));
        _applying.Clear();
    }

    private IProposal? MatchPending(in Entry entry)
    {
        while (_pending.TryPeek(out var head) && head.Index <= entry.Index)
        {
            _pending.Dequeue();
            if (head.Index == entry.Index && head.Term == entry.Term)
            {
                return head.Proposal;
            }
            // Another leader's entry took this index: the proposal was never applied.
            head.Proposal.Abandon(ProposalAbandoned.Lost, Raft.Lead);
        }
        return null;
    }

    private void ApplyConfChange(in Entry entry)
    {
        ConfChangeRequest change;
        try
        {
            change = ConfChangeRequest.Decode(entry.Data.Span);
        }
        catch (FormatException e)
        {
            _host.Logger.LogError("Group {Group}: conf change entry {Index} is malformed: {Error}", Id, entry.Index, e.Message);
            return;
        }
        if (!change.Context.IsEmpty)
        {
            foreach (var single in change.Changes)
            {
                if (single.Type is ConfChangeType.AddNode or ConfChangeType.AddLearnerNode)
                {
                    Addresses.Set(single.NodeId, NodeAddress.Decode(change.Context.Span));
                }
            }
        }
        try
        {
            Raw.ApplyConfChange(change);
        }
        catch (ConfChangeException e)
        {
            _host.Logger.LogWarning("Group {Group}: conf change {Change} at {Index} not applied: {Error}", Id, change, entry.Index, e.Message);
            return;
        }
        foreach (var single in change.Changes)
        {
            if (single.Type == ConfChangeType.RemoveNode)
            {
                Addresses.Remove(single.NodeId);
                _host.OnMemberRemoved(single.NodeId);
            }
        }
        _host.Logger.LogInformation("Group {Group}: membership change {Change} applied at {Index}", Id, change, entry.Index);
    }

    private void PromoteCaughtUpLearner()
    {
        var raft = Raft;
        if (raft.State != StateRole.Leader || raft.Tracker.Config.IsJoint)
        {
            return;
        }
        foreach (var learner in raft.Tracker.Config.Learners)
        {
            var progress = raft.Tracker[learner];
            if (progress is not null && progress.Match + _options.PromoteLagEntries >= raft.Log.LastIndex && progress.Match > 0)
            {
                if (Raw.ProposeConfChange(ConfChangeRequest.Single(ConfChangeType.AddNode, learner)) == ProposalResult.Accepted)
                {
                    _host.Logger.LogInformation("Group {Group}: promoting caught-up learner {Node} (match {Match} of {Last})", Id, learner, progress.Match, raft.Log.LastIndex);
                }
                return;
            }
        }
    }

    private void SendMessages(List<Message> messages)
    {
        foreach (var message in CollectionsMarshal.AsSpan(messages))
        {
            var sent = _host.Send(Id, message);
            if (message.Type == MessageType.Snap)
            {
                Raw.ReportSnapshot(message.To, failed: !sent);
            }
            else if (!sent)
            {
                Raw.ReportUnreachable(message.To);
            }
        }
    }

    /// <summary>Messages a leader may send before its own append is durable (Raft thesis 10.2.1): none of them acknowledge anything.</summary>
    private static bool OnlyLeaderMessages(List<Message> messages)
    {
        foreach (var message in CollectionsMarshal.AsSpan(messages))
        {
            if (message.Type is not (MessageType.App or MessageType.Heartbeat or MessageType.Snap or MessageType.TimeoutNow))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// A new status record. Under writes the indexes move every round, so this runs every round: the
    /// membership lists and the address copy are reused until the configuration or the address book changes.
    /// </summary>
    private GroupStatus BuildStatus()
    {
        var raft = Raft;
        var membership = CurrentMembership();
        var leading = raft.State == StateRole.Leader;
        PeerStatus[] peers = membership.Peers.Length == 0 ? [] : new PeerStatus[membership.Peers.Length]; // a single node: no array a round
        for (var i = 0; i < peers.Length; i++)
        {
            var (id, isVoter) = membership.Peers[i];
            var progress = leading ? raft.Tracker[id] : null;
            peers[i] = new PeerStatus(id, isVoter, progress?.Match ?? 0, progress?.RecentActive ?? false, progress?.State.ToString() ?? "unknown");
        }
        return new GroupStatus(Id, raft.Id, raft.State, raft.Term, raft.Lead, raft.Log.Committed, Machine.AppliedIndex, raft.Log.LastIndex,
            Storage.SnapshotMetadata.Index, membership.Voters, membership.Learners, peers,
            membership.Addresses, Storage.FirstIndex, Storage.DurableIndex);
    }

    private Membership CurrentMembership()
    {
        var config = Raft.Tracker.Config;
        if (_membership is { } cached && ReferenceEquals(cached.Config, config) && cached.AddressVersion == Addresses.Version)
        {
            return cached;
        }
        return _membership = BuildMembership(config);
    }

    // Apart from CurrentMembership: the lambdas' closure would otherwise be allocated on every call,
    // the cached path included (once per pass under load).
    private Membership BuildMembership(TrackerConfig config)
    {
        var peers = config.AllIds.Distinct().Order().Where(id => id != Raft.Id).Select(id => (id, config.Voters.Contains(id))).ToArray();
        return new Membership(config, Addresses.Version, [.. config.Voters.Ids], [.. config.Learners], peers,
            new Dictionary<ulong, NodeAddress>(Addresses.All));
    }

    /// <summary>The parts of the status that change only with the configuration or the address book.</summary>
    private sealed record Membership(
        TrackerConfig Config,
        long AddressVersion,
        ulong[] Voters,
        ulong[] Learners,
        (ulong Id, bool IsVoter)[] Peers,
        IReadOnlyDictionary<ulong, NodeAddress> Addresses);

    private readonly record struct PendingProposal(ulong Index, ulong Term, long ProposedAtTick, IProposal Proposal);
}
