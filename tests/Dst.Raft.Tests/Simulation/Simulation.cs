using Dst.Raft.ConfChange;
using Dst.Testing.Linearizability;

namespace Dst.Raft.Tests.Simulation;

/// <summary>What one seeded run did, for the report and for assertions.</summary>
public sealed record SimulationResult(
    ulong Seed,
    int Nodes,
    ReadOnlyOption Reads,
    ulong Committed,
    int Leaders,
    int Operations,
    int Crashes,
    int MembershipChanges,
    int Transfers,
    int OneWayPartitions,
    int TicksToRecover,
    string Setup,
    string Trace);

/// <summary>
/// One seeded whole-cluster run: a chaos phase (message loss, duplication, reordering, partitions
/// of every shape including sustained one-way ones, crashes with torn writes, restarts, snapshots
/// and compaction, membership changes, leader transfers) with invariants checked after every
/// step; then a liveness phase that heals everything and requires the cluster to recover within a
/// bound; then the linearizability check of the clients' history. Everything derives from the seed.
/// <para>
/// Loss is modelled as a TCP transport sees it: a message dropped at random or by a silent cut is
/// lost without anyone knowing; only a sender whose own connection is down (or breaks, or whose
/// peer crashed) reports the peer unreachable. A snapshot counts as sent once the transport took
/// it, and as failed when it could not (HostedGroup.SendMessages does the same).
/// </para>
/// </summary>
public sealed class Simulation
{
    private const int TickEvery = 10;
    private const int ChaosTicks = 300;
    private const int LivenessTicks = 400;
    private const int MaxMembers = 7;

    /// <summary>Read contexts of the liveness phase, apart from the clients' operation ids.</summary>
    private const ulong LivenessReadContexts = 1UL << 62;

    private readonly ulong _seed;
    private readonly SeededRandom _random;
    private readonly SimNetwork _network;
    private readonly InvariantChecker _invariants = new();
    private readonly SimClients _clients;
    private readonly List<SimNode> _nodes = [];
    private readonly ReadOnlyOption _reads;
    private readonly FlowControl _flowControl;
    private readonly int _initialVoters;
    private readonly List<string> _trace = [];
    // What the sender's transport could not send, or sent as a snapshot, during one round of Ready handling.
    private readonly List<(ulong Peer, bool Snapshot, bool Failed)> _sendReports = [];
    private long _now;
    private int _crashes;
    private int _membershipChanges;
    private int _transfers;
    private int _oneWayPartitions;

    /// <summary>Per-seed replication limits: small windows and messages fill up while answers are lost.</summary>
    private sealed record FlowControl(int MaxInflightMsgs, ulong MaxInflightBytes, ulong MaxSizePerMsg)
    {
        public static FlowControl Draw(SeededRandom random)
        {
            // Window sizes 1..256, about as many of each power of two. Entries are 17 bytes: a small
            // limit sends one per message, a large one everything pending.
            var inflight = 1 + random.Next(1 << random.Next(9));
            var perMessage = random.Next(3) switch
            {
                0 => 1 + (ulong)random.Next(40),
                1 => 64 + (ulong)random.Next(256),
                _ => 1UL << 20,
            };
            var inflightBytes = random.Next(2) == 0 ? 0 : perMessage * (1 + (ulong)random.Next(4));
            return new FlowControl(inflight, inflightBytes, perMessage);
        }

        public override string ToString() =>
            $"max inflight {MaxInflightMsgs} messages / {(MaxInflightBytes == 0 ? "unlimited" : MaxInflightBytes.ToString())} bytes, max {MaxSizePerMsg} bytes per message";
    }

    public Simulation(ulong seed, bool unsafeLocalReads = false)
    {
        _seed = seed;
        // SplitMix64 walks its state in fixed steps, so a state derived linearly from the seed would
        // make seed n + 1 replay seed n's stream one draw later: hash the seed into the state instead.
        _random = new SeededRandom(new SeededRandom(seed).NextUInt64());
        _network = new SimNetwork(new SeededRandom(_random.NextUInt64()));
        _clients = new SimClients(new SeededRandom(_random.NextUInt64()), clientCount: 3, keyCount: 3, timeout: 40 * TickEvery, unsafeLocalReads);
        _reads = _random.Next(2) == 0 ? ReadOnlyOption.Safe : ReadOnlyOption.LeaseBased;
        _flowControl = FlowControl.Draw(_random);
        _initialVoters = 3 + _random.Next(5);
        var voters = Enumerable.Range(1, _initialVoters).Select(i => (ulong)i).ToArray();
        foreach (var id in voters)
        {
            _nodes.Add(new SimNode(id, MemoryStorage.Bootstrap(voters), ConfigFor));
        }
        _network.DropPercent = _random.Next(8);
        _network.DuplicatePercent = _random.Next(5);
    }

    /// <summary>The run's set-up, for a failure report.</summary>
    public string Setup => $"{_initialVoters} voters at start, {_reads} reads, {_flowControl}";

    /// <summary>The last trace lines (faults injected), for a failure report.</summary>
    public string RecentTrace => string.Join("\n", _trace.TakeLast(40));

    private RaftConfig ConfigFor(ulong id, ulong applied) => new()
    {
        Id = id,
        Applied = applied,
        Random = new SeededRandom(_random.NextUInt64()),
        ReadOnlyOption = _reads,
        MaxSizePerMsg = _flowControl.MaxSizePerMsg,
        MaxInflightMsgs = _flowControl.MaxInflightMsgs,
        MaxInflightBytes = _flowControl.MaxInflightBytes,
        MaxUncommittedEntriesSize = 4096,
    };

    public SimulationResult Run()
    {
        for (var tick = 0; tick < ChaosTicks; tick++)
        {
            for (var unit = 0; unit < TickEvery; unit++)
            {
                Advance(chaos: true);
            }
        }
        Heal();
        var (committed, ticks) = RequireRecovery();
        _clients.AbandonAll();
        var verdict = LinearizabilityChecker.Check(new KvModel(), _clients.History);
        if (!verdict.IsLinearizable)
        {
            throw new SimulationInvariantException(
                $"history not linearizable on key {verdict.FailingPartition} ({verdict.OperationsInFailingPartition} operations)");
        }
        return new SimulationResult(
            _seed, _nodes.Count, _reads, committed, _invariants.LeadersElected, _clients.History.Count,
            _crashes, _membershipChanges, _transfers, _oneWayPartitions, ticks, Setup, string.Join("\n", _trace));
    }

    private SimNode? NodeById(ulong id) => _nodes.FirstOrDefault(n => n.Id == id);

    private void Advance(bool chaos)
    {
        _now++;
        while (_network.TryReceive(_now, out var message, out var senderIncarnation, out var arrival))
        {
            Deliver(message, senderIncarnation, arrival);
        }
        if (_now % TickEvery == 0)
        {
            foreach (var node in _nodes.Where(n => n.IsUp))
            {
                node.Raw!.Tick();
                HandleReadies(node);
            }
            foreach (var node in _nodes.Where(n => n.IsUp))
            {
                if (_random.Next(100) < 5)
                {
                    node.SnapshotAndCompact(keep: (ulong)_random.Next(20));
                }
            }
        }
        _clients.Step(_now, _nodes, HandleReadies);
        if (chaos && _random.Next(1000) < 8)
        {
            InjectFault();
        }
        _invariants.CheckStep(_nodes, checkLogMatching: _now % 50 == 0);
    }

    private void Deliver(Message message, int senderIncarnation, Arrival arrival)
    {
        var target = NodeById(message.To);
        if (arrival == Arrival.Delivered && target is { IsUp: true })
        {
            target.Raw!.Step(message);
            HandleReadies(target);
            return;
        }
        if (arrival == Arrival.LostSilently)
        {
            return;
        }
        // The connection carrying it broke (the link went down, or the peer crashed): the sending
        // process's transport notices, as PeerLink does when its connection fails.
        var sender = NodeById(message.From);
        if (sender is { IsUp: true } && sender.Incarnation == senderIncarnation)
        {
            sender.Raw!.ReportUnreachable(message.To);
            HandleReadies(sender);
        }
    }

    /// <summary>
    /// The sender's transport: a message to a crashed peer or over a link that is down is dropped
    /// at once and reported; anything else goes on the wire, where it may still be lost silently.
    /// </summary>
    private void Send(SimNode sender, Message message)
    {
        var connected = NodeById(message.To) is { IsUp: true } && _network.CutOf(sender.Id, message.To, _now) != LinkCut.Down;
        if (connected)
        {
            _network.Send(message, sender.Incarnation, _now);
        }
        if (!connected || message.Type == MessageType.Snap)
        {
            _sendReports.Add((message.To, message.Type == MessageType.Snap, !connected));
        }
    }

    /// <summary>Handles a node's Readies, then tells it what its transport could not send (which may make more work).</summary>
    private void HandleReadies(SimNode node)
    {
        while (node.IsUp)
        {
            node.HandleReadies(m => Send(node, m), _invariants.OnApplied);
            if (_sendReports.Count == 0)
            {
                return;
            }
            foreach (var (peer, snapshot, failed) in _sendReports)
            {
                if (snapshot)
                {
                    node.Raw!.ReportSnapshot(peer, failed);
                }
                else
                {
                    node.Raw!.ReportUnreachable(peer);
                }
            }
            _sendReports.Clear();
        }
    }

    private void InjectFault()
    {
        var up = _nodes.Where(n => n.IsUp).ToList();
        var leader = up.FirstOrDefault(n => n.Node().State == StateRole.Leader);
        var ids = _nodes.Select(n => n.Id).ToList();
        var kind = _random.Next(2) == 0 ? LinkCut.Silent : LinkCut.Down;
        switch (_random.Next(13))
        {
            case 0:
                var groupSize = 1 + _random.Next(ids.Count / 2);
                var minority = ids.OrderBy(_ => _random.Next(1000)).Take(groupSize).ToList();
                _network.Isolate(minority, ids, kind);
                Trace($"partition minority ({string.Join(" ", minority)}), {kind}");
                break;
            case 1 when leader is not null:
                _network.Isolate([leader.Id], ids, kind);
                Trace($"isolate leader {leader.Id}, {kind}");
                break;
            case 2:
                var from = ids[_random.Next(ids.Count)];
                var to = ids[_random.Next(ids.Count)];
                if (from != to)
                {
                    _network.Cut(from, to, kind);
                    Trace($"cut one way {from} -> {to}, {kind}");
                }
                break;
            case 3:
                _network.Heal();
                Trace("heal network");
                break;
            case 4 when up.Count > 0:
                var victim = up[_random.Next(up.Count)];
                if (victim.Raw!.HasReady() && _random.Next(2) == 0)
                {
                    victim.HandleReadies(m => Send(victim, m), _invariants.OnApplied, tornEntriesKept: _random.Next(4));
                    _sendReports.Clear();
                    Trace($"crash {victim.Id} during a write (torn)");
                }
                else
                {
                    victim.Crash();
                    Trace($"crash {victim.Id}");
                }
                _crashes++;
                break;
            case 5 or 6:
                var down = _nodes.Where(n => !n.IsUp).ToList();
                if (down.Count > 0)
                {
                    var revived = down[_random.Next(down.Count)];
                    revived.Start();
                    HandleReadies(revived);
                    Trace($"restart {revived.Id}");
                }
                break;
            case 7 or 8 when leader is not null:
                ChangeMembership(leader);
                break;
            case 9 when leader is not null:
                var voters = leader.Node().Tracker.Config.Voters.Ids.Where(id => id != leader.Id).ToList();
                if (voters.Count > 0)
                {
                    var target = voters[_random.Next(voters.Count)];
                    leader.Raw!.TransferLeader(target);
                    HandleReadies(leader);
                    _transfers++;
                    Trace($"transfer leadership {leader.Id} -> {target}");
                }
                break;
            case 10:
                _network.DropPercent = _random.Next(15);
                Trace($"drop rate {_network.DropPercent}%");
                break;
            case 11:
                // A node that hears everyone but whose answers are lost: the leader's window for it
                // fills with appends that are never acknowledged.
                var muted = leader is not null && _random.Next(2) == 0
                    ? ids.Where(id => id != leader.Id).ElementAt(_random.Next(ids.Count - 1))
                    : ids[_random.Next(ids.Count)];
                var muteUntil = SustainedUntil();
                foreach (var other in ids.Where(id => id != muted))
                {
                    _network.Cut(muted, other, LinkCut.Silent, muteUntil);
                }
                _oneWayPartitions++;
                Trace($"mute {muted} (its messages vanish) until t={muteUntil}");
                break;
            case 12 when leader is not null:
                // The leader talks but hears nobody: every follower's window fills at once.
                var deafUntil = SustainedUntil();
                foreach (var other in ids.Where(id => id != leader.Id))
                {
                    _network.Cut(other, leader.Id, LinkCut.Silent, deafUntil);
                }
                _oneWayPartitions++;
                Trace($"deafen leader {leader.Id} (messages to it vanish) until t={deafUntil}");
                break;
        }
    }

    /// <summary>When a sustained one-way partition ends: 20 to 150 ticks from now (a heal may end it sooner).</summary>
    private long SustainedUntil() => _now + (20 + _random.Next(131)) * TickEvery;

    private void ChangeMembership(SimNode leader)
    {
        var config = leader.Node().Tracker.Config;
        var voters = config.Incoming.ToList();
        var learners = config.Learners.ToList();
        ConfChangeRequest request;
        if (config.IsJoint)
        {
            request = ConfChangeRequest.LeaveJoint;
        }
        else
        {
            switch (_random.Next(5))
            {
                case 0 when _nodes.Count < MaxMembers + 2 && voters.Count + learners.Count < MaxMembers:
                    var id = (ulong)_nodes.Max(n => n.Id) + 1;
                    _nodes.Add(new SimNode(id, new MemoryStorage(), ConfigFor));
                    var asVoter = _random.Next(4) == 0;
                    request = ConfChangeRequest.Single(asVoter ? ConfChangeType.AddNode : ConfChangeType.AddLearnerNode, id);
                    break;
                case 1 when learners.Count > 0:
                    request = ConfChangeRequest.Single(ConfChangeType.AddNode, learners[_random.Next(learners.Count)]);
                    break;
                case 2 when voters.Count > 3:
                    request = ConfChangeRequest.Single(ConfChangeType.RemoveNode, voters[_random.Next(voters.Count)]);
                    break;
                case 3 when learners.Count > 0 && voters.Count > 2:
                    // Replace a voter by a learner in one joint step.
                    var transition = _random.Next(2) == 0 ? ConfChangeTransition.JointImplicit : ConfChangeTransition.JointExplicit;
                    request = new ConfChangeRequest(transition,
                    [
                        new(ConfChangeType.AddNode, learners[_random.Next(learners.Count)]),
                        new(ConfChangeType.RemoveNode, voters[_random.Next(voters.Count)]),
                    ]);
                    break;
                case 4 when voters.Count > 3:
                    request = new ConfChangeRequest(ConfChangeTransition.JointImplicit,
                        [new(ConfChangeType.AddLearnerNode, voters[_random.Next(voters.Count)])]);
                    break;
                default:
                    return;
            }
        }
        var result = leader.Raw!.ProposeConfChange(request);
        HandleReadies(leader);
        if (result == ProposalResult.Accepted)
        {
            _membershipChanges++;
        }
        Trace($"conf change {request} at {leader.Id}: {result}");
    }

    private void Heal()
    {
        _network.Heal();
        _network.DropPercent = 0;
        _network.DuplicatePercent = 0;
        foreach (var node in _nodes.Where(n => !n.IsUp))
        {
            node.Start();
            HandleReadies(node);
        }
        Trace("liveness: healed, all nodes up");
    }

    /// <summary>
    /// After healing, within the bound: a leader commits a probe write that every voter applies;
    /// every member the leader tracks (voters and learners) applies everything the leader had
    /// committed once it applied the probe; then every other member's ReadIndex is answered and
    /// served. A read request is lost when leadership changes (the core drops it, a client asks
    /// again), so a member whose term or leader changed since it asked asks again.
    /// Returns the leader's commit index and the ticks recovery took.
    /// </summary>
    private (ulong Committed, int Ticks) RequireRecovery()
    {
        var probeId = ulong.MaxValue - _seed;
        var catchUp = (Term: 0UL, Index: 0UL);
        var reads = new Dictionary<ulong, (ulong Context, ulong Term, ulong Lead)>();
        var nextContext = LivenessReadContexts;
        var waitingFor = "a leader";
        for (var tick = 1; tick <= LivenessTicks; tick++)
        {
            for (var unit = 0; unit < TickEvery; unit++)
            {
                Advance(chaos: false);
            }
            var leader = _nodes.FirstOrDefault(n => n.IsUp && n.Node().State == StateRole.Leader);
            if (leader is null)
            {
                waitingFor = "a leader";
                continue;
            }
            var raft = leader.Node();
            if (!leader.Machine.HasApplied(probeId))
            {
                leader.Raw!.Propose(KvStateMachine.EncodePut(probeId, 9, probeId));
                HandleReadies(leader);
                waitingFor = $"leader {leader.Id} to apply the probe write";
                continue;
            }
            if (catchUp.Term != raft.Term)
            {
                catchUp = (raft.Term, raft.Log.Committed);
            }
            var voters = raft.Tracker.Config.Voters.Ids.ToHashSet();
            var members = raft.Tracker.Ids.ToArray().Select(id => NodeById(id)!).ToList();
            var lagging = members
                .Where(n => n.AppliedIndex < catchUp.Index || (voters.Contains(n.Id) && !n.Machine.HasApplied(probeId)))
                .Select(n => n.Id)
                .ToList();
            if (lagging.Count > 0)
            {
                waitingFor = $"members {string.Join(" ", lagging)} to apply the probe write and reach index {catchUp.Index} (leader {leader.Id})";
                continue;
            }
            var unserved = new List<ulong>();
            foreach (var member in members.Where(n => n.Id != leader.Id))
            {
                var view = (Term: member.Node().Term, Lead: member.Node().Lead);
                if (!reads.TryGetValue(member.Id, out var read) || (read.Term, read.Lead) != view)
                {
                    read = (nextContext++, view.Term, view.Lead);
                    reads[member.Id] = read;
                    member.Raw!.ReadIndex(read.Context);
                    HandleReadies(member);
                }
                if (!member.ReadPoints.TryGetValue(read.Context, out var readIndex) || member.AppliedIndex < readIndex)
                {
                    unserved.Add(member.Id);
                }
            }
            if (unserved.Count == 0)
            {
                return (raft.Log.Committed, tick);
            }
            waitingFor = $"ReadIndex answered and served on {string.Join(" ", unserved)} (leader {leader.Id})";
        }
        throw new SimulationInvariantException(
            $"not recovered within {LivenessTicks} ticks after healing: still waiting for {waitingFor}\n" +
            $"  cut links: {_network.DescribePartition(_now)}\n{DescribeNodes()}");
    }

    private string DescribeNodes() => string.Join("\n", _nodes.Select(n => n.IsUp
        ? $"  {n.Node()} members={n.Membership} promotable={n.Node().Promotable} first={n.Node().Log.FirstIndex} machine applied={n.AppliedIndex}"
            + (n.Node().State == StateRole.Leader
                ? " progress: " + string.Join(", ", n.Node().Tracker.Ids.ToArray().Select(id => $"{id}:{n.Node().Tracker[id]}"))
                : "")
        : $"  {n.Id} down"));

    private void Trace(string what) => _trace.Add($"t={_now}: {what}");
}
