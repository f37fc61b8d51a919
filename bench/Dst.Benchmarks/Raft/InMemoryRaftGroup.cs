using Dst.Raft;

namespace Dst.Benchmarks.Raft;

/// <summary>
/// A Raft group wired together in memory: every Ready is persisted to a <see cref="MemoryStorage"/>,
/// its messages are handed straight to their targets. No I/O, no threads, no clock. With an
/// <see cref="EntryArrayPool"/>, an append's entry array goes back to the pool once its target
/// has stepped it (the target copies the entries into its own log), as a transport would after
/// encoding it.
/// </summary>
public sealed class InMemoryRaftGroup
{
    private readonly RawNode[] _nodes;
    private readonly MemoryStorage[] _disks;
    private readonly ulong[] _applied;
    private List<Message> _inFlight = new(1024);
    private List<Message> _delivering = new(1024);
    private readonly ConfState _membership;
    private readonly EntryArrayPool? _pool;

    public InMemoryRaftGroup(int size, ulong maxSizePerMessage, EntryArrayPool? pool = null)
    {
        _pool = pool;
        var voters = Enumerable.Range(1, size).Select(i => (ulong)i).ToArray();
        _membership = ConfState.Of(voters);
        _disks = voters.Select(_ => MemoryStorage.Bootstrap(voters)).ToArray();
        _nodes = voters.Select(id => new RawNode(
            new RaftConfig
            {
                Id = id,
                Random = new SeededRandom(id),
                MaxSizePerMsg = maxSizePerMessage,
                MaxInflightMsgs = 64,
                MaxUncommittedEntriesSize = 0,
                EntryArrayPool = pool,
            },
            _disks[id - 1])).ToArray();
        _applied = new ulong[size];
        _nodes[0].Campaign();
        Pump();
        if (Leader.Raft.State != StateRole.Leader)
        {
            throw new InvalidOperationException("node 1 did not become leader");
        }
    }

    public RawNode Leader => _nodes[0];

    public ulong LeaderApplied => _applied[0];

    /// <summary>Handles Readies and delivers messages until the group is idle.</summary>
    public void Pump()
    {
        var moved = true;
        while (moved)
        {
            moved = false;
            for (var i = 0; i < _nodes.Length; i++)
            {
                var node = _nodes[i];
                while (node.HasReady())
                {
                    var ready = node.GetReady();
                    _disks[i].Append(ready.Entries);
                    if (ready.HardState is { } hard)
                    {
                        _disks[i].SetHardState(hard);
                    }
                    _inFlight.AddRange(ready.Messages);
                    if (ready.CommittedEntries.Count > 0)
                    {
                        _applied[i] = ready.CommittedEntries[^1].Index;
                    }
                    node.Advance();
                    moved = true;
                }
            }
            if (_inFlight.Count > 0)
            {
                (_inFlight, _delivering) = (_delivering, _inFlight);
                foreach (var message in _delivering)
                {
                    _nodes[message.To - 1].Step(message);
                    if (_pool is not null && message.Type == MessageType.App)
                    {
                        _pool.Return(message.Entries);
                    }
                }
                _delivering.Clear();
                moved = true;
            }
        }
    }

    /// <summary>Snapshots every node at its applied index and drops the log behind it, keeping <paramref name="keep"/> entries.</summary>
    public void Compact(ulong keep)
    {
        for (var i = 0; i < _disks.Length; i++)
        {
            var applied = _applied[i];
            var disk = _disks[i];
            if (applied <= disk.Snapshot().Metadata.Index + keep)
            {
                continue;
            }
            disk.CreateSnapshot(applied, _membership, ReadOnlyMemory<byte>.Empty);
            disk.Compact(applied - keep);
        }
    }
}
