using Dst.Raft.ConfChange;
using Dst.Raft.Log;
using Dst.Raft.Tracker;

namespace Dst.Raft;

/// <summary>
/// The Raft state machine of one node (etcd-io/raft's <c>raft</c> struct, as our own C#). Pure and
/// single-threaded: inputs are <see cref="Tick"/> and <see cref="Step"/>; outputs accumulate in
/// <see cref="Messages"/>, the log and the read states, which <see cref="RawNode"/> packages as a Ready.
/// This file: state, construction and role transitions. Step logic lives in the other partial files.
/// </summary>
public sealed partial class RaftNode
{
    public const ulong None = 0;

    private readonly RaftConfig _config;
    private readonly IRandomSource _random;
    private readonly List<Message> _messages = [];
    private readonly List<ReadState> _readStates = [];
    private readonly List<Entry> _scratch = [];
    private int _randomizedElectionTimeout;
    private int _electionElapsed;
    private int _heartbeatElapsed;
    private ulong _ticks;
    private ulong _pendingConfIndex;
    private ulong _uncommittedSize;

    public RaftNode(RaftConfig config, IRaftStorage storage)
    {
        config.Validate();
        _config = config;
        _random = config.Random;
        Id = config.Id;
        Log = new RaftLog(storage);
        Tracker = new ProgressTracker(config.MaxInflightMsgs, config.MaxInflightBytes);

        var (hardState, confState) = storage.InitialState();
        Tracker.ApplyConfig(TrackerConfig.From(confState), Log.LastIndex);
        if (!hardState.IsEmpty)
        {
            if (hardState.Commit < Log.Committed || hardState.Commit > Log.LastIndex)
            {
                throw new RaftInvariantException(
                    $"hard state commit {hardState.Commit} out of range [{Log.Committed}, {Log.LastIndex}]");
            }
            Log.CommitTo(hardState.Commit);
            Term = hardState.Term;
            Vote = hardState.Vote;
        }
        if (config.Applied > 0)
        {
            Log.AppliedTo(config.Applied);
        }
        BecomeFollower(Term, None);
    }

    public ulong Id { get; }
    public ulong Term { get; private set; }
    public ulong Vote { get; private set; }
    public ulong Lead { get; private set; }
    public StateRole State { get; private set; }
    public ulong LeadTransferee { get; private set; }
    public RaftLog Log { get; }
    public ProgressTracker Tracker { get; }

    /// <summary>Outgoing messages accumulated since the last Ready.</summary>
    internal List<Message> Messages => _messages;

    internal List<ReadState> ReadStates => _readStates;

    public HardState HardState => new(Term, Vote, Log.Committed);

    public SoftState SoftState => new(Lead, State);

    private bool IsLeaseReads => _config.ReadOnlyOption == ReadOnlyOption.LeaseBased;

    /// <summary>Advances logical time by one tick.</summary>
    public void Tick()
    {
        _ticks++;
        if (State == StateRole.Leader)
        {
            TickHeartbeat();
        }
        else
        {
            TickElection();
        }
    }

    private void TickElection()
    {
        _electionElapsed++;
        if (Promotable && _electionElapsed >= _randomizedElectionTimeout)
        {
            _electionElapsed = 0;
            Step(new Message { Type = MessageType.Hup, From = Id });
        }
    }

    private void TickHeartbeat()
    {
        _heartbeatElapsed++;
        _electionElapsed++;
        if (_electionElapsed >= _config.ElectionTick)
        {
            _electionElapsed = 0;
            if (_config.CheckQuorum)
            {
                Step(new Message { Type = MessageType.CheckQuorum, From = Id });
            }
            // A transfer that has not finished within an election timeout is abandoned.
            if (State == StateRole.Leader && LeadTransferee != None)
            {
                LeadTransferee = None;
            }
        }
        if (State != StateRole.Leader)
        {
            return;
        }
        if (_heartbeatElapsed >= _config.HeartbeatTick)
        {
            _heartbeatElapsed = 0;
            Step(new Message { Type = MessageType.Beat, From = Id });
        }
    }

    /// <summary>Whether this node may become leader: a voter that is not installing a snapshot.</summary>
    public bool Promotable => Tracker[Id] is { IsLearner: false } && Log.UnstableSnapshot is null;

    private void Reset(ulong term)
    {
        if (Term != term)
        {
            Term = term;
            Vote = None;
        }
        Lead = None;
        _electionElapsed = 0;
        _heartbeatElapsed = 0;
        _randomizedElectionTimeout = _config.ElectionTick + _random.Next(_config.ElectionTick);
        LeadTransferee = None;
        Tracker.ResetVotes();
        foreach (var id in Tracker.Ids)
        {
            var progress = Tracker[id]!;
            progress.ResetForTerm(id == Id ? Log.StableLastIndex : 0, Log.LastIndex + 1);
        }
        _pendingConfIndex = 0;
        _uncommittedSize = 0;
        ResetReadsAndLease();
    }

    private void BecomeFollower(ulong term, ulong lead)
    {
        Reset(term);
        Lead = lead;
        State = StateRole.Follower;
    }

    private void BecomeCandidate()
    {
        if (State == StateRole.Leader)
        {
            throw new RaftInvariantException("invalid transition leader -> candidate");
        }
        Reset(Term + 1);
        Vote = Id;
        State = StateRole.Candidate;
    }

    private void BecomePreCandidate()
    {
        if (State == StateRole.Leader)
        {
            throw new RaftInvariantException("invalid transition leader -> pre-candidate");
        }
        // No term change and no vote: a pre-vote must not disturb anyone.
        Tracker.ResetVotes();
        Lead = None;
        State = StateRole.PreCandidate;
    }

    private void BecomeLeader()
    {
        if (State == StateRole.Follower)
        {
            throw new RaftInvariantException("invalid transition follower -> leader");
        }
        Reset(Term);
        Lead = Id;
        State = StateRole.Leader;
        Tracker[Id]!.BecomeReplicate();
        Tracker[Id]!.RecentActive = true;
        // Conservatively treat every not-yet-applied entry as a possible conf change.
        _pendingConfIndex = Log.LastIndex;
        // The empty entry that lets this term commit (and with it every earlier entry, §5.4.2).
        Span<Entry> noop = [new Entry(Term, Log.LastIndex + 1, EntryType.Normal, ReadOnlyMemory<byte>.Empty)];
        Log.Append(noop);
    }

    private void Send(Message message)
    {
        if (message.From == None)
        {
            message = message with { From = Id };
        }
        if (message.Type is MessageType.Vote or MessageType.VoteResp or MessageType.PreVote or MessageType.PreVoteResp)
        {
            if (message.Term == 0)
            {
                throw new RaftInvariantException($"{message.Type} must carry a term");
            }
        }
        else if (message.Type is MessageType.Propose or MessageType.ReadIndex)
        {
            // Forwarded requests carry no term: the leader judges them by its own.
        }
        else
        {
            message = message with { Term = Term };
        }
        _messages.Add(message);
    }

    /// <summary>Applies a committed membership change; every node calls this for every conf change entry it applies.</summary>
    public ConfState ApplyConfChange(ConfChangeRequest request)
    {
        var config = Changer.Apply(Tracker.Config, request);
        SwitchToConfig(config);
        return config.ToConfState();
    }

    private void SwitchToConfig(TrackerConfig config)
    {
        // New peers start probing at our last index, so the first append carries an entry and goes
        // out at once instead of waiting for a heartbeat.
        Tracker.ApplyConfig(config, Log.LastIndex);
        var self = Tracker[Id];
        if (State != StateRole.Leader)
        {
            return;
        }
        if (self is null || self.IsLearner)
        {
            // Removed (or demoted) leader: step down so the remaining voters elect a successor.
            BecomeFollower(Term, None);
            return;
        }
        // Quorums changed: an earlier lease or read confirmation may not hold under the new one.
        InvalidateLease();
        if (MaybeCommit())
        {
            BroadcastAppend();
        }
        else
        {
            foreach (var id in Tracker.Ids)
            {
                if (id != Id)
                {
                    MaybeSendAppend(id, sendIfEmpty: false);
                }
            }
        }
        if (LeadTransferee != None && !Tracker.IsVoter(LeadTransferee))
        {
            LeadTransferee = None;
        }
    }

    /// <summary>The application applied entries up to <paramref name="index"/>.</summary>
    internal void AppliedTo(ulong index, ulong appliedBytes)
    {
        Log.AppliedTo(index);
        ReduceUncommittedSize(appliedBytes);
        if (State == StateRole.Leader && Tracker.Config.AutoLeave && index >= _pendingConfIndex)
        {
            // The joint config is committed and applied: leave it on our own (JointImplicit/Auto).
            var leave = new Entry(Term, Log.LastIndex + 1, EntryType.ConfChange, ConfChangeRequest.LeaveJoint.Encode());
            Span<Entry> entries = [leave];
            Log.Append(entries);
            _pendingConfIndex = leave.Index;
            BroadcastAppend();
        }
    }

    /// <summary>The application persisted entries up to (index, term) and possibly a snapshot.</summary>
    internal void StableTo(ulong index, ulong term)
    {
        Log.StableTo(index, term);
        AcknowledgeOwnAppend();
    }

    internal void StableSnapTo(ulong index)
    {
        Log.StableSnapTo(index);
        if (Log.Applied < index)
        {
            Log.AppliedTo(index);
        }
    }

    /// <summary>
    /// The leader counts itself toward the commit quorum only for durable entries, which is what
    /// lets it send appends before persisting them (thesis 10.2.1).
    /// </summary>
    private void AcknowledgeOwnAppend()
    {
        if (State != StateRole.Leader)
        {
            return;
        }
        var self = Tracker[Id];
        if (self is not null && self.MaybeUpdate(Log.StableLastIndex) && MaybeCommit())
        {
            ReleasePendingReads();
            BroadcastAppend();
        }
    }

    private bool TryIncreaseUncommittedSize(ReadOnlySpan<Entry> entries)
    {
        ulong size = 0;
        foreach (var entry in entries)
        {
            size += (ulong)entry.PayloadSize;
        }
        return TryIncreaseUncommittedSize(size);
    }

    private bool TryIncreaseUncommittedSize(ulong size)
    {
        var cap = _config.MaxUncommittedEntriesSize;
        // One proposal is always allowed when nothing is outstanding, however large.
        if (cap != 0 && _uncommittedSize > 0 && size > 0 && _uncommittedSize + size > cap)
        {
            return false;
        }
        _uncommittedSize += size;
        return true;
    }

    private void ReduceUncommittedSize(ulong size)
    {
        if (State == StateRole.Leader)
        {
            _uncommittedSize = size > _uncommittedSize ? 0 : _uncommittedSize - size;
        }
    }

    public override string ToString() =>
        $"{Id} {State} term={Term} vote={Vote} lead={Lead} commit={Log.Committed} applied={Log.Applied} last={Log.LastIndex}";
}
