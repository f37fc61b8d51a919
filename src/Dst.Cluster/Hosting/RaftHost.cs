using System.Collections.Concurrent;
using System.Diagnostics;
using Dst.Cluster.Transport;
using Dst.Raft;
using Dst.Raft.ConfChange;
using Dst.Storage;
using Microsoft.Extensions.Logging;

namespace Dst.Cluster.Hosting;

/// <summary>
/// Drives every Raft group of this node on one loop thread (multi-raft). Other threads only queue
/// work (proposals, reads, peer messages, admin actions); the loop steps the groups, ticks them,
/// and handles their Ready in rounds: collect every group's Ready and write it, one sync pass for all
/// of them, then send, apply, answer and advance. Proposals arriving while a round is on disk wait
/// for the next one, which is how many clients' writes share one fsync.
/// <para>
/// A pass over the groups may also run on a client event loop (<see cref="RunDeferredPass"/>): whoever
/// holds the turn runs it, so a write can be proposed, applied and answered on the thread that read it,
/// as Redis runs everything on its one thread, without waking the loop thread and switching to it.
/// </para>
/// </summary>
public sealed partial class RaftHost : IClusterMessageHandler, IDisposable
{
    private readonly RaftHostOptions _options;
    private readonly ConcurrentQueue<Input> _inbox = new();
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private readonly Dictionary<ulong, HostedGroup> _groups = [];
    private readonly List<HostedGroup> _groupList = [];
    private readonly List<HostedGroup> _readyGroups = [];
    /// <summary>Held for a pass over the groups: by the loop thread, or by an event loop running one inline.</summary>
    private readonly Lock _turn = new();
    private readonly LeaderClock _clock = new();
    /// <summary>A round's Readies are collected and written, their fsync and the rest still to do (<see cref="DefersSyncForReplies"/>).</summary>
    private bool _syncPending;
    private Thread? _thread;
    private volatile bool _stopping;
    private long _nextTick;
    private long _tickUnits;
    private long _lastPeriodicSync;

    public RaftHost(RaftHostOptions options, ILogger logger)
    {
        _options = options;
        Logger = logger;
    }

    public ulong NodeId => _options.NodeId;

    public RaftHostOptions Options => _options;

    internal ILogger Logger { get; }

    /// <summary>Bytes for the entries this host's leaders append (used inside passes only).</summary>
    internal EntryArena Arena { get; } = new();

    /// <summary>The node-to-node transport; null for a node that has no peers (a one-voter group).</summary>
    public NodeTransport? Transport { get; set; }

    /// <summary>Raised on the loop thread when a member is removed from a group (the transport may drop it).</summary>
    public event Action<ulong>? MemberRemoved;

    /// <summary>Adds a group before <see cref="Start"/>.</summary>
    public HostedGroup AddGroup(ulong groupId, DurableRaftStorage storage, IReplicatedStateMachine machine, AddressBook addresses)
    {
        if (_thread is not null)
        {
            throw new InvalidOperationException("groups are added before the host starts");
        }
        var group = new HostedGroup(this, groupId, _options, storage, machine, addresses);
        _groups.Add(groupId, group);
        _groupList.Add(group);
        return group;
    }

    public void Start()
    {
        _lastPeriodicSync = Stopwatch.GetTimestamp();
        _tickUnits = (long)(_options.TickInterval.TotalSeconds * Stopwatch.Frequency);
        _nextTick = Stopwatch.GetTimestamp() + _tickUnits;
        _thread = new Thread(Run) { Name = "dst-raft", IsBackground = true };
        _thread.Start();
    }

    public void Propose(HostedGroup group, IProposal proposal) => Enqueue(new Input(InputKind.Propose, group, proposal, default));

    /// <summary>
    /// Proposes the <paramref name="count"/> proposals linked from <paramref name="first"/> by
    /// <see cref="IProposal.NextInChain"/>, in order, as one queued item: a client's pipelined writes
    /// cost one enqueue and one dequeue, not one each (per write they were 4% of a write's CPU).
    /// </summary>
    public void ProposeChain(HostedGroup group, IProposal first, int count)
    {
        if (TryQueue(new Input(InputKind.ProposeChain, group, first, default)))
        {
            WakeOrDefer(count);
        }
    }

    /// <summary>
    /// Queues a read for the next ReadIndex round. While a round is out the loop is not woken for it:
    /// the round's answer wakes the loop, which then sends every read queued meanwhile in one round.
    /// </summary>
    public void Read(HostedGroup group, IReadRequest read)
    {
        if (!TryQueue(new Input(InputKind.Read, group, read, default)))
        {
            return;
        }
        Interlocked.MemoryBarrier(); // see HostedGroup.NoteReadRoundAnswered
        if (!group.ReadRoundInFlight)
        {
            WakeOrDefer();
        }
    }

    /// <summary>Runs <paramref name="action"/> on the loop thread, where groups may be touched.</summary>
    public void Post(Action action) => Enqueue(new Input(InputKind.Action, null, action, default));

    /// <summary>Runs <paramref name="work"/> on the loop thread and returns its result.</summary>
    public Task<T> InvokeAsync<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            try
            {
                completion.SetResult(work());
            }
            catch (Exception e)
            {
                completion.SetException(e);
            }
        });
        return completion.Task;
    }

    /// <summary>Proposes a membership change; the result is null when accepted, else why not.</summary>
    public Task<string?> ProposeConfChangeAsync(HostedGroup group, ConfChangeRequest change) =>
        InvokeAsync(() => group.ProposeConfChange(change, out var error) ? null : error);

    /// <summary>Queued without waking the loop: the end of the frame's batch does (<see cref="IClusterMessageHandler.OnBatchDelivered"/>).</summary>
    void IClusterMessageHandler.OnMessage(ulong groupId, in Message message)
    {
        if (_groups.TryGetValue(groupId, out var group))
        {
            TryQueue(new Input(InputKind.Message, group, null, message));
        }
    }

    /// <summary>
    /// Runs the pass for the messages a receive brought on the thread that received them: a follower
    /// appends, syncs and answers without a hop to the loop thread. On a client event loop (dst-server
    /// serves peer connections there) the pass waits until the loop is about to sleep, shared with the
    /// work of its clients (<see cref="RunDeferredPass"/>).
    /// </summary>
    void IClusterMessageHandler.OnBatchDelivered()
    {
        if (t_defersWakeUps)
        {
            WakeOrDefer();
        }
        else
        {
            RunPassOrWake();
        }
    }

    void IClusterMessageHandler.OnPeerUnreachable(ulong nodeId) => Post(() =>
    {
        foreach (var group in _groupList)
        {
            if (group.Raw.Raft.Tracker[nodeId] is not null)
            {
                group.Raw.ReportUnreachable(nodeId);
            }
        }
    });

    /// <summary>Queues a message; the round writes every peer's messages at once (<see cref="FlushSends"/>).</summary>
    internal bool Send(ulong groupId, in Message message) => Transport?.Enqueue(groupId, message) ?? false;

    private void FlushSends() => Transport?.Flush();

    internal void OnMemberRemoved(ulong nodeId) => MemberRemoved?.Invoke(nodeId);

    private void Enqueue(in Input input)
    {
        if (TryQueue(input))
        {
            WakeOrDefer();
        }
    }

    /// <summary>Queues <paramref name="input"/>, or refuses it once the host is stopping.</summary>
    private bool TryQueue(in Input input)
    {
        if (_stopping)
        {
            Reject(input, ProposalAbandoned.Unavailable);
            return false;
        }
        _inbox.Enqueue(input);
        return true;
    }

    /// <summary>
    /// The loop thread. An unexpected exception here (a bug, or a broken invariant) ends the process
    /// loudly rather than leaving a node that looks alive but no longer replicates; a restart
    /// recovers from the durable log.
    /// </summary>
    private void Run()
    {
        try
        {
            Loop();
        }
        catch (Exception e)
        {
            FailLoudly(e);
        }
    }

    private void FailLoudly(Exception e)
    {
        Logger.LogCritical(e, "The Raft loop failed; stopping the process");
        Environment.FailFast($"dst: the Raft loop failed: {e}", e);
    }

    private void Loop()
    {
        while (!_stopping)
        {
            bool busy;
            lock (_turn)
            {
                _wake.Reset();
                busy = Pass();
            }
            if (!busy)
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Volatile.Read(ref _nextTick));
                if (wait > TimeSpan.Zero)
                {
                    // Whole milliseconds, rounded up: a wait of under 1 ms rounded down to none, and the
                    // loop spun through the last millisecond of every tick (2% of a core, idle or not).
                    _wake.Wait((int)Math.Ceiling(wait.TotalMilliseconds));
                }
            }
        }
        lock (_turn)
        {
            FinishPendingRound();
            DrainInbox();
            foreach (var group in _groupList)
            {
                group.AbandonAll(ProposalAbandoned.Unavailable);
                try
                {
                    group.Storage.Sync();
                }
                catch (IOException e)
                {
                    Logger.LogWarning("Final fsync of group {Group} failed: {Error}", group.Id, e.Message);
                }
            }
        }
    }

    /// <summary>One pass over the groups, holding the turn: take queued work, tick when due, handle Readies. True if there may be more to do at once.</summary>
    private bool Pass()
    {
        FinishPendingRound();
        DrainInbox();
        var now = Stopwatch.GetTimestamp();
        if (now >= _nextTick)
        {
            Volatile.Write(ref _nextTick, now + _tickUnits);
            foreach (var group in _groupList)
            {
                group.Tick();
            }
            SyncPeriodically(now);
        }
        foreach (var group in _groupList)
        {
            group.IssueReads();
        }
        var handled = HandleReadies();
        foreach (var group in _groupList)
        {
            group.PublishStatus();
        }
        return handled || !_inbox.IsEmpty;
    }

    private void DrainInbox()
    {
        // The proposals drained together share one timestamp: a clock read per entry was 3% of a write's CPU.
        var leaderTimeMs = 0L;
        while (_inbox.TryDequeue(out var input))
        {
            switch (input.Kind)
            {
                case InputKind.Propose or InputKind.ProposeChain:
                    if (leaderTimeMs == 0)
                    {
                        leaderTimeMs = _clock.Next();
                    }
                    for (var proposal = (IProposal?)input.Work; proposal is not null;)
                    {
                        // Read before proposing: once proposed, a proposal may complete and be reused.
                        var next = NextProposal(input, proposal);
                        input.Group!.Propose(proposal, leaderTimeMs);
                        proposal = next;
                    }
                    break;
                case InputKind.Read:
                    input.Group!.QueueRead((IReadRequest)input.Work!);
                    break;
                case InputKind.Message:
                    StepMessage(input.Group!, input.Message);
                    break;
                case InputKind.Action:
                    RunAction((Action)input.Work!);
                    break;
            }
        }
    }

    private void StepMessage(HostedGroup group, in Message message)
    {
        try
        {
            group.Raw.Step(message);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            Logger.LogWarning("Group {Group}: dropped message {Message}: {Error}", group.Id, message.ToString(), e.Message);
        }
    }

    private void RunAction(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is not OutOfMemoryException and not RaftInvariantException)
        {
            Logger.LogWarning("Host action failed: {Error}", e);
        }
    }

    /// <summary>
    /// One round over every group with work: write all, one sync pass, then finish all. Returns whether
    /// any group had a Ready. A storage error propagates: the loop stops the process (see <see cref="Run"/>),
    /// as a node that cannot persist must not acknowledge anything again until restarted.
    /// </summary>
    private bool HandleReadies()
    {
        _readyGroups.Clear();
        foreach (var group in _groupList)
        {
            if (group.CollectReady())
            {
                _readyGroups.Add(group);
            }
        }
        if (_readyGroups.Count == 0)
        {
            return false;
        }
        FlushSends(); // a leader's appends and heartbeats leave before its fsync
        if (DefersSyncForReplies())
        {
            _syncPending = true;
            return true;
        }
        FinishReadies();
        return true;
    }

    /// <summary>Finishes a round an event loop left before its fsync (<see cref="DefersSyncForReplies"/>): first of all, on whichever thread takes the turn.</summary>
    private void FinishPendingRound()
    {
        if (_syncPending)
        {
            FinishReadies();
        }
    }

    /// <summary>The second half of <see cref="HandleReadies"/>: sync, then send, apply and advance.</summary>
    private void FinishReadies()
    {
        _syncPending = false;
        foreach (var group in _readyGroups)
        {
            if (group.NeedsSync)
            {
                group.Sync();
            }
            group.FinishReady();
        }
        FlushSends();
    }

    /// <summary>
    /// On a client event loop, when the Readies applied writes that earlier rounds had synced (a
    /// leader's writes its followers have since acknowledged) and this round must fsync, the fsync
    /// waits until the event loop has sent those replies (<see cref="RunPassOrWake"/>): otherwise every
    /// reply waited for the fsync of the writes proposed after it. Whichever thread takes the turn next
    /// finishes the round first (<see cref="Pass"/>).
    /// </summary>
    private bool DefersSyncForReplies()
    {
        if (!t_defersWakeUps || !_options.Durability().SyncEachAppend)
        {
            return false;
        }
        bool needsSync = false, appliedEarly = false;
        foreach (var group in _readyGroups)
        {
            needsSync |= group.NeedsSync;
            appliedEarly |= group.AppliedEarly;
        }
        return needsSync && appliedEarly;
    }

    private void SyncPeriodically(long now)
    {
        var durability = _options.Durability();
        if (durability.SyncEachAppend || durability.PeriodicSync is not { } interval
            || Stopwatch.GetElapsedTime(_lastPeriodicSync, now) < interval)
        {
            return;
        }
        _lastPeriodicSync = now;
        foreach (var group in _groupList)
        {
            group.Storage.Sync();
        }
    }

    private static void Reject(in Input input, ProposalAbandoned reason)
    {
        switch (input.Kind)
        {
            case InputKind.Propose or InputKind.ProposeChain:
                for (var proposal = (IProposal?)input.Work; proposal is not null;)
                {
                    var next = NextProposal(input, proposal);
                    proposal.Abandon(reason, 0);
                    proposal = next;
                }
                break;
            case InputKind.Read:
                ((IReadRequest)input.Work!).Fail(reason, 0);
                break;
        }
    }

    /// <summary>Stops the loop: queued work is refused, waiting clients are answered, storage is synced.</summary>
    public void Dispose()
    {
        _stopping = true;
        _wake.Set();
        _thread?.Join();
        lock (_turn)
        {
            while (_inbox.TryDequeue(out var input))
            {
                Reject(input, ProposalAbandoned.Unavailable);
            }
        }
        _wake.Dispose();
    }

    /// <summary>
    /// The proposal queued after <paramref name="proposal"/>: only a chain follows its links, as a
    /// proposal retried alone may still carry the link of the chain it was first proposed in.
    /// </summary>
    private static IProposal? NextProposal(in Input input, IProposal proposal) =>
        input.Kind == InputKind.ProposeChain ? proposal.NextInChain : null;

    private enum InputKind : byte
    {
        Propose,
        ProposeChain,
        Read,
        Message,
        Action,
    }

    private readonly record struct Input(InputKind Kind, HostedGroup? Group, object? Work, Message Message);
}
