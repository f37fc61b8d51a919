using Dst.Cluster.Tests.Support;
using Dst.Raft;

namespace Dst.Cluster.Tests.Transport;

/// <summary>NodeTransport.Enqueue and Flush: the Raft host's way of writing a round's messages from its own thread.</summary>
public sealed class FlushTests
{
    [Fact]
    public async Task Flushed_messages_and_those_the_writer_sends_arrive_in_the_order_they_were_queued()
    {
        await using var a = await TestNode.StartAsync(1);
        await using var b = await TestNode.StartAsync(2);
        await TestNode.ConnectAllAsync(a, b);
        const int count = 3000;

        for (var i = 1; i <= count; i++)
        {
            var message = new Message { Type = MessageType.Heartbeat, From = 1, To = 2, Term = (ulong)i };
            Assert.True(i % 3 == 0 ? a.Transport.Send(7, message) : a.Transport.Enqueue(7, message));
            if (i % 10 == 0)
            {
                a.Transport.Flush();
            }
        }
        a.Transport.Flush();

        var received = await b.Handler.WaitForMessagesAsync(count);
        Assert.Equal(Enumerable.Range(1, count).Select(i => (ulong)i), received.Select(m => m.Message.Term));
        Assert.All(received, m => Assert.Equal(7UL, m.GroupId));
    }

    [Fact]
    public async Task A_flush_larger_than_the_socket_takes_at_once_is_finished_by_the_writer()
    {
        await using var a = await TestNode.StartAsync(1);
        await using var b = await TestNode.StartAsync(2);
        await TestNode.ConnectAllAsync(a, b);
        using var gate = new ManualResetEventSlim(false);
        b.Handler.DeliveryGate = gate;
        // The receiver takes this one and then stops reading, so the socket's buffers fill up.
        a.Transport.Enqueue(1, new Message { Type = MessageType.Heartbeat, From = 1, To = 2, Term = 1 });
        a.Transport.Flush();
        await Eventually.TrueAsync(() => a.Transport.GetStats().Peers[0].MessagesSent == 1, "the first message written");
        var data = new byte[1 << 20];
        new Random(3).NextBytes(data);
        const int large = 24; // 24 MiB: more than loopback's socket buffers hold

        for (var i = 0; i < large; i++)
        {
            var entry = new Entry(2, (ulong)(i + 1), EntryType.Normal, data);
            Assert.True(a.Transport.Enqueue(1, new Message { Type = MessageType.App, From = 1, To = 2, Term = 2, Index = (ulong)i, Entries = [entry] }));
        }
        a.Transport.Flush(); // returns with the rest handed to the writer
        a.Transport.Enqueue(1, new Message { Type = MessageType.Heartbeat, From = 1, To = 2, Term = 3 });
        a.Transport.Flush();
        gate.Set();

        var received = await b.Handler.WaitForMessagesAsync(large + 2);
        Assert.Equal([1UL, .. Enumerable.Repeat(2UL, large), 3UL], received.Select(m => m.Message.Term));
        Assert.Equal(Enumerable.Range(0, large).Select(i => (ulong)i), received.Skip(1).Take(large).Select(m => m.Message.Index));
        Assert.True(received[5].Message.Entries[0].Data.Span.SequenceEqual(data));
    }
}
