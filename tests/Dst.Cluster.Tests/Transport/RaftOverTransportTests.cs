using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Dst.Cluster.Tests.Support;
using Dst.Cluster.Transport;
using Dst.Raft;

namespace Dst.Cluster.Tests.Transport;

/// <summary>
/// Real Raft over real sockets: three replicas of one group, each driven the way the multi-raft
/// host will drive it (step inbound messages, tick, persist the Ready, send, apply, advance),
/// elect a leader and replicate proposals through the transport.
/// </summary>
public sealed class RaftOverTransportTests
{
    private const ulong GroupId = 7;

    private sealed class Replica : IClusterMessageHandler
    {
        private readonly ConcurrentQueue<Message> _inbox = new();
        private readonly ConcurrentQueue<ulong> _unreachable = new();
        private readonly MemoryStorage _storage = MemoryStorage.Bootstrap(1, 2, 3);

        public Replica(ulong id)
        {
            Raft = new RawNode(new RaftConfig { Id = id, ElectionTick = 30, HeartbeatTick = 1, Random = new SeededRandom(id) }, _storage);
            Transport = new NodeTransport(
                new NodeTransportOptions
                {
                    NodeId = id,
                    ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
                    ClusterSecret = TestNode.Secret,
                    ReconnectInitialDelay = TimeSpan.FromMilliseconds(5),
                    ReconnectMaxDelay = TimeSpan.FromMilliseconds(100),
                },
                this);
        }

        public RawNode Raft { get; }
        public NodeTransport Transport { get; }
        public List<string> Applied { get; } = [];
        public bool IsLeader => Raft.Raft.State == StateRole.Leader;

        public void OnMessage(ulong groupId, in Message message)
        {
            // Only one group runs here: anything else would be a multiplexing bug.
            Assert.Equal(GroupId, groupId);
            _inbox.Enqueue(message);
        }

        public void OnPeerUnreachable(ulong nodeId) => _unreachable.Enqueue(nodeId);

        /// <summary>One turn of the host loop for this replica.</summary>
        public void Run(bool tick)
        {
            while (_inbox.TryDequeue(out var message))
            {
                Raft.Step(message);
            }
            while (_unreachable.TryDequeue(out var peer))
            {
                Raft.ReportUnreachable(peer);
            }
            if (tick)
            {
                Raft.Tick();
            }
            if (!Raft.HasReady())
            {
                return;
            }
            var ready = Raft.GetReady();
            if (ready.Snapshot is { } snapshot)
            {
                _storage.ApplySnapshot(snapshot);
            }
            _storage.Append(ready.Entries);
            if (ready.HardState is { } hardState)
            {
                _storage.SetHardState(hardState);
            }
            foreach (var message in ready.Messages)
            {
                Transport.Send(GroupId, message);
            }
            foreach (var entry in ready.CommittedEntries)
            {
                if (entry.Type == EntryType.Normal && entry.Data.Length > 0)
                {
                    Applied.Add(Encoding.UTF8.GetString(entry.Data.Span));
                }
            }
            Raft.Advance();
        }
    }

    [Fact]
    public async Task Three_replicas_elect_a_leader_and_replicate_every_proposal()
    {
        Replica[] replicas = [new(1), new(2), new(3)];
        try
        {
            foreach (var replica in replicas)
            {
                await replica.Transport.StartAsync();
            }
            foreach (var replica in replicas)
            {
                foreach (var peer in replicas.Where(peer => peer != replica))
                {
                    replica.Transport.AddPeer(peer.Transport.NodeId, peer.Transport.LocalEndPoint!);
                }
            }
            string[] proposals = [.. Enumerable.Range(1, 20).Select(i => $"set k{i} v{i}")];

            // The host loop, paced like a real one: a turn every 2 ms, a Raft tick every 5 turns.
            // The election timeout (30 ticks, 300 ms or more) leaves a loaded machine room to keep one leader.
            using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(2));
            var deadline = DateTime.UtcNow + RecordingHandler.Deadline;
            var proposed = false;
            for (var turn = 0; !replicas.All(r => r.Applied.Count == proposals.Length); turn++)
            {
                Assert.True(DateTime.UtcNow < deadline, "the group did not replicate every proposal in time");
                await pace.WaitForNextTickAsync();
                foreach (var replica in replicas)
                {
                    replica.Run(tick: turn % 5 == 0);
                }
                if (!proposed && replicas.FirstOrDefault(r => r.IsLeader) is { } leader)
                {
                    foreach (var proposal in proposals)
                    {
                        Assert.Equal(ProposalResult.Accepted, leader.Raft.Propose(Encoding.UTF8.GetBytes(proposal)));
                    }
                    proposed = true;
                }
            }

            Assert.All(replicas, replica => Assert.Equal(proposals, replica.Applied));
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.Transport.DisposeAsync();
            }
        }
    }
}
