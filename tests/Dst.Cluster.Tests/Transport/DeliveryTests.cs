using Dst.Cluster.Tests.Support;
using Dst.Cluster.Transport;
using Dst.Raft;

namespace Dst.Cluster.Tests.Transport;

public sealed class DeliveryTests
{
    private static readonly MessageType[] LocalTypes =
        [MessageType.Hup, MessageType.Beat, MessageType.CheckQuorum, MessageType.SnapStatus, MessageType.Unreachable];

    [Fact]
    public async Task Every_network_message_type_arrives_intact_with_its_group()
    {
        await using var a = await TestNode.StartAsync(1);
        await using var b = await TestNode.StartAsync(2);
        await TestNode.ConnectAllAsync(a, b);
        var random = new RandomMessages(seed: 9);
        var sent = Enum.GetValues<MessageType>().Except(LocalTypes)
            .Select((type, i) => new GroupMessage((ulong)(i * 1000), random.Next(type, from: 1, to: 2)))
            .ToList();

        foreach (var item in sent)
        {
            Assert.True(a.Transport.Send(item.GroupId, item.Message));
        }

        var received = await b.Handler.WaitForMessagesAsync(sent.Count);
        Assert.Equal(sent.Count, received.Count);
        for (var i = 0; i < sent.Count; i++)
        {
            Assert.Equal(sent[i].GroupId, received[i].GroupId);
            MessageAssert.Equal(sent[i].Message, received[i].Message);
        }
    }

    [Fact]
    public async Task A_snapshot_larger_than_a_frame_arrives_whole_between_the_messages_around_it()
    {
        static NodeTransportOptions SmallFrames(NodeTransportOptions options) => options with { MaxFrameBytes = 4096 };
        await using var a = await TestNode.StartAsync(1, configure: SmallFrames);
        await using var b = await TestNode.StartAsync(2, configure: SmallFrames);
        await TestNode.ConnectAllAsync(a, b);
        var data = new byte[300_000];
        new Random(5).NextBytes(data);
        var snapshot = new Message
        {
            Type = MessageType.Snap,
            From = 1,
            To = 2,
            Term = 3,
            Snapshot = new Snapshot(new SnapshotMetadata(1000, 3, new ConfState([1, 2, 3], [], [], [], false)), data),
        };
        var before = new Message { Type = MessageType.Heartbeat, From = 1, To = 2, Term = 3 };

        Assert.True(a.Transport.Send(1, before));
        Assert.True(a.Transport.Send(1, snapshot));
        Assert.True(a.Transport.Send(1, before));

        var received = await b.Handler.WaitForMessagesAsync(3);
        Assert.Equal([MessageType.Heartbeat, MessageType.Snap, MessageType.Heartbeat], received.Select(m => m.Message.Type));
        MessageAssert.Equal(snapshot, received[1].Message);
        Assert.All(a.Transport.GetStats().Peers, peer => Assert.Equal(0, peer.DroppedOversize));
    }

    [Fact]
    public async Task Local_only_types_are_dropped_by_the_receiver()
    {
        await using var a = await TestNode.StartAsync(1);
        await using var b = await TestNode.StartAsync(2);
        await TestNode.ConnectAllAsync(a, b);

        foreach (var type in LocalTypes)
        {
            a.Transport.Send(1, new Message { Type = type, From = 1, To = 2 });
        }
        a.Transport.Send(1, new Message { Type = MessageType.Heartbeat, From = 1, To = 2, Term = 77 });

        var received = await b.Handler.WaitForMessagesAsync(1);
        Assert.Equal(77UL, Assert.Single(received).Message.Term);
        Assert.Equal(LocalTypes.Length, b.Transport.GetStats().MisroutedMessages);
    }

    [Fact]
    public async Task Three_nodes_exchange_messages_in_every_direction()
    {
        await using var a = await TestNode.StartAsync(1);
        await using var b = await TestNode.StartAsync(2);
        await using var c = await TestNode.StartAsync(3);
        TestNode[] nodes = [a, b, c];
        await TestNode.ConnectAllAsync(nodes);

        foreach (var from in nodes)
        {
            foreach (var to in nodes.Where(to => to != from))
            {
                var message = new Message { Type = MessageType.App, From = from.Id, To = to.Id, Term = from.Id * 10 + to.Id };
                Assert.True(from.Transport.Send(groupId: from.Id, message));
            }
        }

        foreach (var node in nodes)
        {
            var received = await node.Handler.WaitForMessagesAsync(2);
            Assert.Equal(
                nodes.Where(from => from != node).Select(from => (from.Id, from.Id * 10 + node.Id)).Order(),
                received.Select(m => (m.GroupId, m.Message.Term)).Order());
        }
    }

    [Fact]
    public async Task A_burst_is_batched_into_few_writes_and_arrives_in_order()
    {
        await using var a = await TestNode.StartAsync(1);
        await using var b = await TestNode.StartAsync(2);
        await TestNode.ConnectAllAsync(a, b);
        // Stall node 2's reader so node 1's writer blocks once the socket buffers are full (32 MiB
        // is far more than loopback buffers hold) while the rest of the burst queues up behind it.
        using var gate = new ManualResetEventSlim(false);
        b.Handler.DeliveryGate = gate;
        var data = new byte[4096];
        const int Count = 8000;

        for (var i = 1; i <= Count; i++)
        {
            var entry = new Entry(1, (ulong)i, EntryType.Normal, data);
            Assert.True(a.Transport.Send((ulong)(i % 3), new Message { Type = MessageType.App, From = 1, To = 2, Index = (ulong)i, Entries = [entry] }));
        }
        gate.Set();

        var received = await b.Handler.WaitForMessagesAsync(Count);
        Assert.Equal(Enumerable.Range(1, Count).Select(i => (ulong)i), received.Select(m => m.Message.Index));
        Assert.All(received, m => Assert.Equal(m.Message.Index % 3, m.GroupId));
        var link = Assert.Single(a.Transport.GetStats().Peers);
        Assert.Equal(Count, link.MessagesSent);
        Assert.True(link.Writes < Count, $"{link.Writes} writes for {Count} messages");
    }
}
