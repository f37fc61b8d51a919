using System.Text;
using Dst.Raft.ConfChange;

namespace Dst.Raft.Tests.Scenarios;

/// <summary>
/// The world a scenario script drives: nodes with in-memory disks, a mailbox of messages in flight,
/// cut links, and a transcript of what happened (the golden output).
/// </summary>
public sealed class ScenarioCluster
{
    private sealed class Node(ulong id, MemoryStorage disk, Func<ulong, ulong, RaftConfig> configFor)
    {
        public ulong Id { get; } = id;
        public MemoryStorage Disk { get; } = disk;
        public Func<ulong, ulong, RaftConfig> ConfigFor { get; } = configFor;
        public RawNode? Raw { get; set; } = new(configFor(id, disk.Snapshot().Metadata.Index), disk);
        public ulong Applied { get; set; } = disk.Snapshot().Metadata.Index;
        public ConfState Membership { get; set; } = disk.Snapshot().Metadata.ConfState;
        public List<string> AppliedData { get; } = [];
    }

    private readonly SortedDictionary<ulong, Node> _nodes = [];
    private readonly List<Message> _inFlight = [];
    private readonly HashSet<(ulong From, ulong To)> _cut = [];
    private readonly StringBuilder _out = new();

    public string TakeOutput()
    {
        var text = _out.ToString().TrimEnd('\n');
        _out.Clear();
        return text.Length == 0 ? "ok" : text;
    }

    private bool _quiet;

    private void Say(string line) => _out.Append(line).Append('\n');

    /// <summary>Message traffic is printed except while <see cref="Run"/> lets time pass.</summary>
    private void SayMessage(string line)
    {
        if (!_quiet)
        {
            Say(line);
        }
    }

    /// <summary>
    /// Lets <paramref name="ticks"/> ticks pass on a working network: each round ticks every live
    /// node once and then delivers everything. Only state changes are printed.
    /// </summary>
    public void Run(int ticks)
    {
        _quiet = true;
        try
        {
            for (var i = 0; i < ticks; i++)
            {
                TickAll(1);
                Stabilize();
            }
        }
        finally
        {
            _quiet = false;
        }
    }

    public void AddNodes(int count, ulong[] voters, ulong[] learners, Func<ulong, ulong, RaftConfig> configFor)
    {
        var first = _nodes.Count == 0 ? 1UL : _nodes.Keys.Max() + 1;
        for (var id = first; id < first + (ulong)count; id++)
        {
            var disk = voters.Length > 0 ? MemoryStorage.Bootstrap(voters) : new MemoryStorage();
            if (learners.Length > 0)
            {
                disk.ApplySnapshot(new Snapshot(new SnapshotMetadata(1, 1, ConfState.Of(voters, learners)), ReadOnlyMemory<byte>.Empty));
            }
            _nodes[id] = new Node(id, disk, configFor);
            Say($"{id}: added {(voters.Length > 0 ? disk.Snapshot().Metadata.ConfState.ToString() : "(joining, empty log)")}");
        }
    }

    private RawNode Raw(ulong id) => _nodes[id].Raw ?? throw new InvalidOperationException($"node {id} is down");

    public void Campaign(ulong id)
    {
        Raw(id).Campaign();
        ProcessReady(id);
    }

    public void Propose(ulong id, string data)
    {
        var result = Raw(id).Propose(Encoding.UTF8.GetBytes(data));
        Say($"{id}: propose {data}: {result}");
        ProcessReady(id);
    }

    public void ProposeConfChange(ulong id, ConfChangeRequest request)
    {
        var result = Raw(id).ProposeConfChange(request);
        Say($"{id}: propose conf change {request}: {result}");
        ProcessReady(id);
    }

    public void TransferLeader(ulong id, ulong to)
    {
        Raw(id).TransferLeader(to);
        ProcessReady(id);
    }

    public void ReadIndex(ulong id, ulong context)
    {
        Raw(id).ReadIndex(context);
        ProcessReady(id);
    }

    public void Tick(ulong id, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Raw(id).Tick();
            ProcessReady(id);
        }
    }

    public void TickAll(int times)
    {
        for (var i = 0; i < times; i++)
        {
            foreach (var node in _nodes.Values.Where(n => n.Raw is not null))
            {
                node.Raw!.Tick();
                ProcessReady(node.Id);
            }
        }
    }

    public void Partition(IEnumerable<IReadOnlyList<ulong>> groups)
    {
        _cut.Clear();
        var groupOf = new Dictionary<ulong, int>();
        var index = 0;
        foreach (var group in groups)
        {
            foreach (var id in group)
            {
                groupOf[id] = index;
            }
            index++;
        }
        foreach (var a in _nodes.Keys)
        {
            foreach (var b in _nodes.Keys)
            {
                if (groupOf.GetValueOrDefault(a, -1) != groupOf.GetValueOrDefault(b, -1))
                {
                    _cut.Add((a, b));
                }
            }
        }
    }

    public void CutOneWay(ulong from, ulong to) => _cut.Add((from, to));

    public void Heal() => _cut.Clear();

    public void Crash(ulong id)
    {
        _nodes[id].Raw = null;
        _inFlight.RemoveAll(m => m.To == id);
        Say($"{id}: crashed");
    }

    public void Restart(ulong id)
    {
        var node = _nodes[id];
        var snapshot = node.Disk.Snapshot();
        node.Applied = snapshot.Metadata.Index;
        node.Membership = snapshot.Metadata.ConfState;
        node.Raw = new RawNode(node.ConfigFor(id, node.Applied), node.Disk);
        Say($"{id}: restarted {node.Raw.Raft}");
    }

    /// <summary>Snapshots node <paramref name="id"/> at its applied index and compacts up to <paramref name="index"/>.</summary>
    public void Compact(ulong id, ulong index)
    {
        var node = _nodes[id];
        var data = Encoding.UTF8.GetBytes(string.Join(",", node.AppliedData));
        node.Disk.CreateSnapshot(node.Applied, node.Membership, data);
        node.Disk.Compact(index);
        Say($"{id}: snapshot at {node.Applied}, log now [{node.Disk.FirstIndex}, {node.Disk.LastIndex}]");
    }

    /// <summary>Delivers messages (and handles every Ready) until nothing moves.</summary>
    public void Stabilize()
    {
        while (true)
        {
            foreach (var id in _nodes.Keys)
            {
                ProcessReady(id);
            }
            if (_inFlight.Count == 0)
            {
                return;
            }
            var batch = _inFlight.ToList();
            _inFlight.Clear();
            foreach (var m in batch)
            {
                Deliver(m);
            }
        }
    }

    /// <summary>Delivers only the messages currently addressed to <paramref name="id"/>.</summary>
    public void DeliverTo(ulong id)
    {
        var batch = _inFlight.Where(m => m.To == id).ToList();
        _inFlight.RemoveAll(m => m.To == id);
        foreach (var m in batch)
        {
            Deliver(m);
        }
        ProcessReady(id);
    }

    /// <summary>Discards every message in flight.</summary>
    public void DropAll()
    {
        foreach (var m in _inFlight)
        {
            Say($"dropped {m}");
        }
        _inFlight.Clear();
    }

    private void Deliver(Message m)
    {
        if (_cut.Contains((m.From, m.To)) || !_nodes.TryGetValue(m.To, out var target) || target.Raw is null)
        {
            SayMessage($"dropped {m}");
            if (m.Type == MessageType.Snap && _nodes[m.From].Raw is { } sender)
            {
                sender.ReportSnapshot(m.To, failed: true);
            }
            return;
        }
        SayMessage(m.ToString());
        target.Raw.Step(m);
        if (m.Type == MessageType.Snap && _nodes[m.From].Raw is { } leader)
        {
            leader.ReportSnapshot(m.To, failed: false);
        }
        ProcessReady(m.To);
    }

    private void ProcessReady(ulong id)
    {
        var node = _nodes[id];
        var raw = node.Raw;
        if (raw is null)
        {
            return;
        }
        while (raw.HasReady())
        {
            var ready = raw.GetReady();
            if (ready.SoftState is { } soft)
            {
                Say($"{id}: {soft.Role} term={raw.Raft.Term} lead={soft.Lead}");
            }
            if (ready.Snapshot is { } snapshot)
            {
                node.Disk.ApplySnapshot(snapshot);
                node.Applied = snapshot.Metadata.Index;
                node.Membership = snapshot.Metadata.ConfState;
                node.AppliedData.Clear();
                if (!snapshot.Data.IsEmpty)
                {
                    node.AppliedData.AddRange(Encoding.UTF8.GetString(snapshot.Data.Span).Split(','));
                }
                Say($"{id}: installed snapshot {snapshot.Metadata.Term}/{snapshot.Metadata.Index} {snapshot.Metadata.ConfState}");
            }
            node.Disk.Append(ready.Entries);
            if (ready.HardState is { } hard)
            {
                node.Disk.SetHardState(hard);
            }
            _inFlight.AddRange(ready.Messages);
            foreach (var entry in ready.CommittedEntries)
            {
                node.Applied = entry.Index;
                if (entry.Type == EntryType.ConfChange)
                {
                    var change = ConfChangeRequest.Decode(entry.Data.Span);
                    node.Membership = raw.ApplyConfChange(change);
                    Say($"{id}: applied {entry.Term}/{entry.Index} conf change {change} -> {node.Membership}");
                }
                else if (!entry.Data.IsEmpty)
                {
                    var text = Encoding.UTF8.GetString(entry.Data.Span);
                    node.AppliedData.Add(text);
                    Say($"{id}: applied {entry.Term}/{entry.Index} {text}");
                }
            }
            foreach (var read in ready.ReadStates)
            {
                Say($"{id}: read state index={read.Index} context={read.RequestContext}");
            }
            raw.Advance();
        }
    }

    public void Status()
    {
        foreach (var node in _nodes.Values)
        {
            if (node.Raw is null)
            {
                Say($"{node.Id}: down");
                continue;
            }
            var raft = node.Raw.Raft;
            var line = $"{raft} members={node.Membership}";
            if (raft.State == StateRole.Leader)
            {
                line += " progress: " + string.Join(", ", raft.Tracker.Ids.ToArray().Select(id => $"{id}={raft.Tracker[id]}"));
            }
            Say(line);
        }
    }

    public void PrintLog(ulong id)
    {
        var node = _nodes[id];
        var raft = Raw(id).Raft;
        var entries = new List<Entry>();
        if (raft.Log.LastIndex >= raft.Log.FirstIndex)
        {
            raft.Log.Slice(raft.Log.FirstIndex, raft.Log.LastIndex + 1, ulong.MaxValue, entries);
        }
        var text = string.Join(" ", entries.Select(e => $"{e.Term}/{e.Index}{(e.Type == EntryType.ConfChange ? "cc" : "")}"));
        Say($"{id}: log from {raft.Log.FirstIndex}: {(text.Length == 0 ? "(empty)" : text)} committed={raft.Log.Committed} applied data=[{string.Join(",", node.AppliedData)}]");
    }
}
