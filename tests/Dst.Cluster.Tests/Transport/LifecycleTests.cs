using System.Net;
using Dst.Cluster.Tests.Support;
using Dst.Cluster.Transport;
using Dst.Raft;

namespace Dst.Cluster.Tests.Transport;

public sealed class LifecycleTests
{
    private static Message Heartbeat(ulong from, ulong to, ulong term) =>
        new() { Type = MessageType.Heartbeat, From = from, To = to, Term = term };

    [Fact]
    public async Task The_link_reconnects_after_the_peer_restarts_and_reports_it_unreachable_meanwhile()
    {
        await using var a = await TestNode.StartAsync(1);
        var b = await TestNode.StartAsync(2);
        var port = b.EndPoint.Port;
        await TestNode.ConnectAllAsync(a, b);

        await b.DisposeAsync();
        await Eventually.TrueAsync(() => !a.Transport.IsPeerConnected(2), "node 1 to notice node 2 went away");
        await a.Handler.WaitForUnreachableAsync(2);
        Assert.False(a.Transport.Send(1, Heartbeat(1, 2, 1)));

        await using var restarted = await TestNode.StartAsync(2, port: port);
        await Eventually.TrueAsync(() => a.Transport.IsPeerConnected(2), "node 1 to reconnect to node 2");
        Assert.True(a.Transport.Send(1, Heartbeat(1, 2, 2)));

        var received = await restarted.Handler.WaitForMessagesAsync(1);
        Assert.Equal(2UL, Assert.Single(received).Message.Term);
        var link = Assert.Single(a.Transport.GetStats().Peers);
        Assert.True(link.Connects >= 2);
        Assert.True(link.DroppedDisconnected >= 1);
    }

    [Fact]
    public async Task A_full_queue_drops_and_counts_every_further_send()
    {
        await using var a = await TestNode.StartAsync(1, configure: o => o with { SendQueueCapacity = 16 });
        await using var b = await TestNode.StartAsync(2);
        await TestNode.ConnectAllAsync(a, b);
        // Node 2 stops reading: node 1's writer blocks once the socket buffers are full.
        using var gate = new ManualResetEventSlim(false);
        b.Handler.DeliveryGate = gate;
        var data = new byte[64 * 1024];
        var message = new Message { Type = MessageType.App, From = 1, To = 2, Entries = [new Entry(1, 1, EntryType.Normal, data)] };

        var accepted = 0;
        var refused = 0;
        // 20,000 x 64 KiB is far more than any loopback buffer: the queue must fill well before.
        for (var i = 0; i < 20_000 && refused < 100; i++)
        {
            if (a.Transport.Send(1, message))
            {
                accepted++;
            }
            else
            {
                refused++;
            }
        }
        var stats = Assert.Single(a.Transport.GetStats().Peers);
        gate.Set();

        Assert.Equal(100, refused);
        Assert.Equal(refused, stats.DroppedQueueFull);
        Assert.Equal(0, stats.DroppedDisconnected);
        Assert.Equal(refused, a.Transport.GetStats().MessagesDropped);
        await b.Handler.WaitForMessagesAsync(accepted);
    }

    [Fact]
    public async Task Sends_to_a_node_that_is_not_a_peer_are_counted_and_a_removed_peer_is_no_longer_sent_to()
    {
        await using var a = await TestNode.StartAsync(1);
        await using var b = await TestNode.StartAsync(2);
        await TestNode.ConnectAllAsync(a, b);

        Assert.False(a.Transport.Send(1, Heartbeat(1, 9, 1)));
        Assert.True(a.Transport.RemovePeer(2));
        Assert.False(a.Transport.RemovePeer(2));
        Assert.False(a.Transport.Send(1, Heartbeat(1, 2, 1)));

        var stats = a.Transport.GetStats();
        Assert.Equal(2, stats.UnknownPeerDrops);
        Assert.Empty(stats.Peers);
    }

    [Fact]
    public async Task Dispose_closes_every_connection_and_ends_every_loop()
    {
        var a = await TestNode.StartAsync(1);
        var b = await TestNode.StartAsync(2);
        var c = await TestNode.StartAsync(3);
        await TestNode.ConnectAllAsync(a, b, c);
        using var unauthenticated = await RawPeer.ConnectAsync(a.EndPoint);
        a.Transport.AddPeer(4, new IPEndPoint(IPAddress.Loopback, 1));

        await a.DisposeAsync().AsTask().WaitAsync(RecordingHandler.Deadline);
        await unauthenticated.WaitForCloseAsync();
        await Eventually.TrueAsync(() => !b.Transport.IsPeerConnected(1) && !c.Transport.IsPeerConnected(1), "the others to see node 1 leave");
        await Task.WhenAll(b.DisposeAsync().AsTask(), c.DisposeAsync().AsTask()).WaitAsync(RecordingHandler.Deadline);

        Assert.False(a.Transport.Send(1, Heartbeat(1, 2, 1)));
        await a.DisposeAsync();
    }

    [Fact]
    public void Options_are_validated()
    {
        var options = new NodeTransportOptions
        {
            NodeId = 1,
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            ClusterSecret = new byte[NodeTransportOptions.MinSecretBytes],
        };
        var handler = new RecordingHandler();
        Assert.Throws<ArgumentException>(() => new NodeTransport(options with { ClusterSecret = new byte[15] }, handler));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NodeTransport(options with { NodeId = 0 }, handler));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NodeTransport(options with { SendQueueCapacity = 0 }, handler));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => new NodeTransport(options with { ReconnectMaxDelay = TimeSpan.FromTicks(1) }, handler));
    }

    [Fact]
    public void The_default_cluster_port_is_the_client_port_plus_10000()
    {
        Assert.Equal(16379, ClusterPorts.DefaultFor(6379));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClusterPorts.DefaultFor(55536));
    }
}
