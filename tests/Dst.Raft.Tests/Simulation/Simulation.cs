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
    string Trace);

/// <summary>
/// One seeded whole-cluster run: a chaos phase (message loss, duplication, reordering, partitions
/// of every shape, crashes with torn writes, restarts, snapshots and compaction, membership
/// changes, leader transfers) with invariants checked after every step; then a liveness phase
/// that heals everything and requires a write to commit on every voter within a bound; then the
/// linearizability check of the clients' history. Everything derives from the seed.
/// </summary>
public sealed class Simulation
{
    private const int TickEvery = 10;
    private const int ChaosTicks = 300;
    private const int LivenessTicks = 120;
    private const int MaxMembers = 7;

    private readonly ulong _seed;
    private readonly SeededRandom _random;
    private readonly SimNetwork _network;
    private readonly InvariantChecker _invariants = new();
    private readonly SimClients _clients;
    private readonly List<SimNode> _nodes = [];
    private readonly ReadOnlyOption _reads;
    private readonly List<string> _trace = [];
    private long _now;
    private int _crashes;
    private int _membershipChanges;
    private int _transfers;

    public Simulation(ulong seed, bool unsafeLocalReads = false)
    {
        _seed = seed;
        _random = new SeededRandom(seed * 0x9E3779B97F4A7C15UL + 1);
        _network = new SimNetwork(new SeededRandom(_random.NextUInt64()));
        _clients = new SimClients(new SeededRandom(_random.NextUInt64()), clientCount: 3, keyCount: 3, timeout: 40 * TickEvery, unsafeLocalReads);
        _reads = _random.Next(2) == 0 ? ReadOnlyOption.Safe : ReadOnlyOption.LeaseBased;
        var size = 3 + _random.Next(5);
        var voters = Enumerable.Range(1, size).Select(i => (ulong)i).ToArray();
        foreach (var id in voters)
        {
            _nodes.Add(new SimNode(id, MemoryStorage.Bootstrap(voters), ConfigFor));
        }
        _network.DropPercent = _random.Next(8);
        _network.DuplicatePercent = _random.Next(5);
    }

    private RaftConfig ConfigFor(ulong id, ulong applied) => new()
    {
        Id = id,
        Applied = applied,
        Random = new SeededRandom(_random.NextUInt64()),
        ReadOnlyOption = _reads,
        MaxSizePerMsg = 64 + (ulong)_random.Next(256),
        MaxInflightMsgs = 1 + _random.Next(8),
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
        var probe = RequireProgress();
        _clients.AbandonAll();
        var verdict = LinearizabilityChecker.Check(new KvModel(), _clients.History);
        if (!verdict.IsLinearizable)
        {
            throw new SimulationInvariantException(
                $"history not linearizable on key {verdict.FailingPartition} ({verdict.OperationsInFailingPartition} operations)");
        }
        return new SimulationResult(
            _seed, _nodes.Count, _reads, probe, _invariants.LeadersElected, _clients.History.Count,
            _crashes, _membershipChanges, _transfers, string.Join("\n", _trace.TakeLast(40)));
    }

    /// <summary>The last trace lines (faults injected), for a failure report.</summary>
    public string RecentTrace => string.Join("\n", _trace.TakeLast(40));

    private void Advance(bool chaos)
    {
        _now++;
        while (_network.TryReceive(_now, out var message, out var lost))
        {
            Deliver(message, lost);
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

    private void Deliver(Message message, bool lostToPartition)
    {
        var sender = _nodes.FirstOrDefault(n => n.Id == message.From);
        var target = _nodes.FirstOrDefault(n => n.Id == message.To);
        var delivered = !lostToPartition && target is { IsUp: true };
        if (sender is { IsUp: true } && (message.Type == MessageType.Snap || !delivered))
        {
            // The transport tells the sender what it could not deliver, and how a snapshot went.
            if (message.Type == MessageType.Snap)
            {
                sender.Raw!.ReportSnapshot(message.To, failed: !delivered);
            }
            else
            {
                sender.Raw!.ReportUnreachable(message.To);
            }
            HandleReadies(sender);
        }
        if (!delivered)
        {
            return;
        }
        target!.Raw!.Step(message);
        HandleReadies(target);
    }

    private void HandleReadies(SimNode node)
    {
        if (node.IsUp)
        {
            node.HandleReadies(m => _network.Send(m, _now), _invariants.OnApplied);
        }
    }

    private void InjectFault()
    {
        var up = _nodes.Where(n => n.IsUp).ToList();
        var leader = up.FirstOrDefault(n => n.Node().State == StateRole.Leader);
        var ids = _nodes.Select(n => n.Id).ToList();
        switch (_random.Next(11))
        {
            case 0:
                var groupSize = 1 + _random.Next(ids.Count / 2);
                var minority = ids.OrderBy(_ => _random.Next(1000)).Take(groupSize).ToList();
                _network.Isolate(minority, ids);
                Trace($"partition minority ({string.Join(" ", minority)})");
                break;
            case 1 when leader is not null:
                _network.Isolate([leader.Id], ids);
                Trace($"isolate leader {leader.Id}");
                break;
            case 2:
                var from = ids[_random.Next(ids.Count)];
                var to = ids[_random.Next(ids.Count)];
                if (from != to)
                {
                    _network.Cut(from, to);
                    Trace($"cut one way {from} -> {to}");
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
                    victim.HandleReadies(m => _network.Send(m, _now), _invariants.OnApplied, tornEntriesKept: _random.Next(4));
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
        }
    }

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

    /// <summary>After healing, a new write must commit and be applied by every voter within the bound.</summary>
    private ulong RequireProgress()
    {
        var probeId = ulong.MaxValue - _seed;
        for (var tick = 0; tick < LivenessTicks; tick++)
        {
            for (var unit = 0; unit < TickEvery; unit++)
            {
                Advance(chaos: false);
            }
            var leader = _nodes.FirstOrDefault(n => n.IsUp && n.Node().State == StateRole.Leader);
            if (leader is null)
            {
                continue;
            }
            if (!leader.Machine.HasApplied(probeId))
            {
                leader.Raw!.Propose(KvStateMachine.EncodePut(probeId, 9, probeId));
                HandleReadies(leader);
                continue;
            }
            var voters = leader.Node().Tracker.Config.Voters.Ids;
            if (voters.All(id => _nodes.First(n => n.Id == id).Machine.HasApplied(probeId)))
            {
                return leader.Node().Log.Committed;
            }
        }
        throw new SimulationInvariantException($"no progress within {LivenessTicks} ticks after healing:\n{DescribeNodes()}");
    }

    private string DescribeNodes() => string.Join("\n", _nodes.Select(n => n.IsUp
        ? $"  {n.Node()} members={n.Membership} promotable={n.Node().Promotable} first={n.Node().Log.FirstIndex}"
            + (n.Node().State == StateRole.Leader
                ? " progress: " + string.Join(", ", n.Node().Tracker.Ids.ToArray().Select(id => $"{id}:{n.Node().Tracker[id]}"))
                : "")
        : $"  {n.Id} down"));

    private void Trace(string what) => _trace.Add($"t={_now}: {what}");
}
