using System.Text;

namespace Dst.Raft.Tests.Unit;

/// <summary>
/// Append messages drawing their entry arrays from an <see cref="EntryArrayPool"/> behave exactly like
/// freshly allocated ones: same messages, same commits, and every array recycled only after use.
/// </summary>
public sealed class PooledAppendsTests
{
    [Fact]
    public void A_pooled_group_sends_the_same_messages_and_applies_the_same_entries_as_an_unpooled_one()
    {
        var plain = new Group(pool: null);
        var pooled = new Group(new EntryArrayPool());

        var plainTrace = plain.Run();
        var pooledTrace = pooled.Run();

        Assert.Equal(plainTrace, pooledTrace);
        Assert.Equal(Group.Proposals, plain.Applied[0]);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Group.Proposals, pooled.Applied[i]);
        }
        Assert.True(pooled.RecycledArrays > 0, "no append array was ever reused");
    }

    /// <summary>Three nodes delivering every message in order; small messages and a short pipeline so appends split and pause.</summary>
    private sealed class Group
    {
        public static readonly List<string> Proposals = [.. Enumerable.Range(0, 600).Select(i => $"v{i}:" + new string('x', i % 37))];

        private readonly RawNode[] _nodes;
        private readonly MemoryStorage[] _disks;
        private readonly EntryArrayPool? _pool;
        private readonly HashSet<Entry[]> _everSent = new(ReferenceEqualityComparer.Instance);

        public Group(EntryArrayPool? pool)
        {
            _pool = pool;
            _disks = [.. Enumerable.Range(1, 3).Select(_ => MemoryStorage.Bootstrap(1, 2, 3))];
            _nodes = [.. Enumerable.Range(1, 3).Select(id => new RawNode(
                new RaftConfig
                {
                    Id = (ulong)id,
                    Random = new SeededRandom((ulong)id),
                    MaxSizePerMsg = 200,
                    MaxInflightMsgs = 3,
                    EntryArrayPool = pool,
                },
                _disks[id - 1]))];
        }

        public List<string>[] Applied { get; } = [[], [], []];

        public int RecycledArrays { get; private set; }

        /// <summary>Elects node 1, proposes in uneven batches, and returns every delivered message as text.</summary>
        public List<string> Run()
        {
            var trace = new List<string>();
            _nodes[0].Campaign();
            Pump(trace);
            var proposed = 0;
            for (var batch = 1; proposed < Proposals.Count; batch = batch % 13 + 1)
            {
                foreach (var value in Proposals.Skip(proposed).Take(batch))
                {
                    Assert.Equal(ProposalResult.Accepted, _nodes[0].Propose(Encoding.UTF8.GetBytes(value)));
                }
                proposed += batch;
                Pump(trace);
            }
            return trace;
        }

        private void Pump(List<string> trace)
        {
            var inFlight = new List<Message>();
            do
            {
                inFlight.Clear();
                for (var i = 0; i < _nodes.Length; i++)
                {
                    while (_nodes[i].HasReady())
                    {
                        var ready = _nodes[i].GetReady();
                        _disks[i].Append(ready.Entries);
                        if (ready.HardState is { } hard)
                        {
                            _disks[i].SetHardState(hard);
                        }
                        inFlight.AddRange(ready.Messages);
                        Applied[i].AddRange(ready.CommittedEntries.Where(e => e.Data.Length > 0).Select(e => Encoding.UTF8.GetString(e.Data.Span)));
                        _nodes[i].Advance();
                    }
                }
                CheckOwnership(inFlight);
                foreach (var message in inFlight)
                {
                    trace.Add(message.ToString());
                    _nodes[message.To - 1].Step(message);
                    if (_pool is not null && message.Type == MessageType.App)
                    {
                        _pool.Return(message.Entries);
                    }
                }
            }
            while (inFlight.Count > 0);
        }

        /// <summary>With a pool, no two messages in flight share an array; arrays seen before were returned first.</summary>
        private void CheckOwnership(List<Message> inFlight)
        {
            if (_pool is null)
            {
                return;
            }
            var inUse = new HashSet<Entry[]>(ReferenceEqualityComparer.Instance);
            foreach (var message in inFlight.Where(m => m.Type == MessageType.App && m.Entries.Length > 0))
            {
                Assert.True(inUse.Add(message.Entries), "two messages in flight share one pooled array");
                if (!_everSent.Add(message.Entries))
                {
                    RecycledArrays++;
                }
            }
        }
    }
}
