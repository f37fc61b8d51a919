using System.Runtime.InteropServices;
using Dst.Raft.ConfChange;

namespace Dst.Raft;

/// <summary>
/// The application's handle on a node: feed it ticks, messages and requests; collect a
/// <see cref="Ready"/>; do the work; <see cref="Advance"/>. Single-threaded, like the core.
/// </summary>
public sealed class RawNode
{
    private readonly Ready _ready = new();
    private SoftState _previousSoft;
    private HardState _previousHard;
    private bool _readyOutstanding;
    private ulong _committedBytesHandedOut;

    public RawNode(RaftConfig config, IRaftStorage storage)
    {
        Raft = new RaftNode(config, storage);
        _previousSoft = Raft.SoftState;
        _previousHard = Raft.HardState;
        MaxCommittedSizePerReady = config.MaxCommittedSizePerReady;
    }

    public RaftNode Raft { get; }

    private ulong MaxCommittedSizePerReady { get; }

    public void Tick() => Raft.Tick();

    /// <summary>Starts an election now (skipping the randomized wait; pre-vote still applies).</summary>
    public void Campaign() => Raft.Step(new Message { Type = MessageType.Hup, From = Raft.Id });

    public ProposalResult Propose(ReadOnlyMemory<byte> data) => Raft.Propose(EntryType.Normal, data);

    public ProposalResult ProposeConfChange(ConfChangeRequest change) => Raft.Propose(EntryType.ConfChange, change.Encode());

    /// <summary>Applies a committed conf change entry; call it while applying that entry.</summary>
    public ConfState ApplyConfChange(ConfChangeRequest change) => Raft.ApplyConfChange(change);

    /// <summary>Delivers a message from a peer. Local message types are refused.</summary>
    public void Step(Message message)
    {
        if (message.Type is MessageType.Hup or MessageType.Beat or MessageType.CheckQuorum or MessageType.SnapStatus or MessageType.Unreachable)
        {
            throw new ArgumentException($"{message.Type} is a local message", nameof(message));
        }
        if (Raft.Tracker[message.From] is null && message.IsResponse)
        {
            // A response from a peer we no longer track carries nothing we can use.
            return;
        }
        Raft.Step(message);
    }

    public void ReadIndex(ulong requestContext) => Raft.ReadIndex(requestContext);

    public void TransferLeader(ulong transferee) =>
        Raft.Step(new Message { Type = MessageType.TransferLeader, From = transferee });

    public void ReportUnreachable(ulong peer) => Raft.Step(new Message { Type = MessageType.Unreachable, From = peer });

    public void ReportSnapshot(ulong peer, bool failed) =>
        Raft.Step(new Message { Type = MessageType.SnapStatus, From = peer, Reject = failed });

    public bool HasReady()
    {
        if (Raft.HasPendingAppends || Raft.Messages.Count > 0 || Raft.ReadStates.Count > 0)
        {
            return true;
        }
        if (Raft.SoftState != _previousSoft)
        {
            return true;
        }
        var hard = Raft.HardState;
        if (!hard.IsEmpty && hard != _previousHard)
        {
            return true;
        }
        return Raft.Log.UnstableSnapshot is not null
            || Raft.Log.UnstableSpan.Length > 0
            || Raft.Log.HasNextCommittedEntries;
    }

    /// <summary>Collects the outstanding work. Call <see cref="Advance"/> before asking again.</summary>
    public Ready GetReady()
    {
        if (_readyOutstanding)
        {
            throw new InvalidOperationException("Advance the previous Ready first");
        }
        _readyOutstanding = true;
        Raft.FlushPendingAppends();
        var ready = _ready;
        ready.Clear();
        var soft = Raft.SoftState;
        if (soft != _previousSoft)
        {
            ready.SoftState = soft;
            _previousSoft = soft;
        }
        var hard = Raft.HardState;
        if (!hard.IsEmpty && hard != _previousHard)
        {
            ready.HardState = hard;
        }
        ready.Snapshot = Raft.Log.UnstableSnapshot;
        ready.Entries.AddRange(Raft.Log.UnstableSpan);
        Raft.Log.NextCommittedEntries(MaxCommittedSizePerReady, ready.CommittedEntries);
        _committedBytesHandedOut = 0;
        foreach (var entry in CollectionsMarshal.AsSpan(ready.CommittedEntries))
        {
            _committedBytesHandedOut += (ulong)entry.PayloadSize;
        }
        ready.Messages.AddRange(Raft.Messages);
        Raft.Messages.Clear();
        ready.ReadStates.AddRange(Raft.ReadStates);
        Raft.ReadStates.Clear();
        ready.MustSync = ready.Entries.Count > 0
            || (ready.HardState is { } h && (h.Term != _previousHard.Term || h.Vote != _previousHard.Vote));
        return ready;
    }

    /// <summary>The application finished the last Ready: it is persisted, sent and applied.</summary>
    public void Advance()
    {
        if (!_readyOutstanding)
        {
            throw new InvalidOperationException("no Ready to advance");
        }
        _readyOutstanding = false;
        var ready = _ready;
        if (ready.HardState is { } hard)
        {
            _previousHard = hard;
        }
        if (ready.Snapshot is { } snapshot)
        {
            Raft.StableSnapTo(snapshot.Metadata.Index);
        }
        if (ready.Entries.Count > 0)
        {
            var last = ready.Entries[^1];
            Raft.StableTo(last.Index, last.Term);
        }
        if (ready.CommittedEntries.Count > 0)
        {
            Raft.AppliedTo(ready.CommittedEntries[^1].Index, _committedBytesHandedOut);
        }
        ready.Clear();
    }
}
