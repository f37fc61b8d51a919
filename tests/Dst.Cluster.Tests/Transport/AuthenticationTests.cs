using System.Text;
using Dst.Cluster.Tests.Support;
using Dst.Cluster.Transport;
using Dst.Raft;
using Microsoft.Extensions.Logging;

namespace Dst.Cluster.Tests.Transport;

public sealed class AuthenticationTests
{
    private static readonly byte[] WrongSecret = Encoding.UTF8.GetBytes("not the cluster secret at all!!!");

    private static GroupMessage Heartbeat(ulong from, ulong to, ulong term) =>
        new(1, new Message { Type = MessageType.Heartbeat, From = from, To = to, Term = term });

    [Fact]
    public async Task Nodes_with_different_secrets_never_connect_and_nothing_is_delivered()
    {
        await using var a = await TestNode.StartAsync(1);
        await using var b = await TestNode.StartAsync(2, WrongSecret);
        a.Transport.AddPeer(2, b.EndPoint);
        b.Transport.AddPeer(1, a.EndPoint);

        await Eventually.TrueAsync(() => a.Transport.GetStats().Peers[0].ConnectFailures >= 2, "node 1 to fail to authenticate node 2 twice");
        await Eventually.TrueAsync(() => b.Transport.GetStats().Peers[0].ConnectFailures >= 2, "node 2 to fail to authenticate node 1 twice");
        await a.Handler.WaitForUnreachableAsync(2);

        Assert.False(a.Transport.IsPeerConnected(2));
        Assert.False(b.Transport.IsPeerConnected(1));
        Assert.False(a.Transport.Send(1, Heartbeat(1, 2, 1).Message));
        Assert.True(a.Transport.GetStats().Peers[0].DroppedDisconnected >= 1);
        Assert.Empty(a.Handler.Messages);
        Assert.Empty(b.Handler.Messages);
    }

    [Fact]
    public async Task A_forged_proof_is_rejected_by_the_acceptor()
    {
        await using var b = await TestNode.StartAsync(2);
        using var raw = await RawPeer.ConnectAsync(b.EndPoint);

        await raw.SendBytesAsync(Sealed(Handshake.Hello(selfId: 1, peerId: 2, new byte[HandshakeProof.NonceSize])));
        await raw.ReceiveAsync(FrameKind.Challenge, 1 + 8 + HandshakeProof.NonceSize + HandshakeProof.Size);
        await raw.SendBytesAsync(Sealed(Handshake.Proof(new byte[HandshakeProof.Size])));

        await raw.WaitForCloseAsync();
        Assert.Equal(1, b.Transport.GetStats().HandshakesRejected);
        Assert.Empty(b.Handler.Messages);
        Assert.True(b.Log.Logged(LogLevel.Warning, "node 1 could not prove it holds the cluster secret"));
    }

    [Fact]
    public async Task A_process_without_the_secret_cannot_complete_the_handshake()
    {
        await using var b = await TestNode.StartAsync(2);
        using var raw = await RawPeer.ConnectAsync(b.EndPoint);

        // The node proves itself first; the impostor cannot check that proof or make its own.
        var failure = await Assert.ThrowsAsync<HandshakeException>(() => raw.AuthenticateAsync(1, 2, WrongSecret));
        Assert.Contains("cluster secret", failure.Message);
        raw.Dispose();

        await Eventually.TrueAsync(() => b.Transport.GetStats().HandshakesRejected == 1, "the node to reject the half-done handshake");
    }

    [Fact]
    public async Task Garbage_and_unauthenticated_frames_are_dropped_while_the_node_keeps_working()
    {
        await using var a = await TestNode.StartAsync(1);
        await using var b = await TestNode.StartAsync(2);
        await TestNode.ConnectAllAsync(a, b);

        using (var garbage = await RawPeer.ConnectAsync(b.EndPoint))
        {
            var bytes = new byte[1024];
            new Random(1).NextBytes(bytes);
            await garbage.SendBytesAsync(bytes);
            await garbage.WaitForCloseAsync();
        }
        using (var noHandshake = await RawPeer.ConnectAsync(b.EndPoint))
        {
            await noHandshake.SendBatchAsync(Heartbeat(1, 2, 666));
            await noHandshake.WaitForCloseAsync();
        }

        Assert.Equal(2, b.Transport.GetStats().HandshakesRejected);
        Assert.True(a.Transport.Send(1, Heartbeat(1, 2, 7).Message));
        var received = await b.Handler.WaitForMessagesAsync(1);
        Assert.Equal(7UL, Assert.Single(received).Message.Term);
    }

    [Fact]
    public async Task A_message_whose_sender_is_not_the_authenticated_node_is_dropped()
    {
        await using var b = await TestNode.StartAsync(2);
        using var raw = await RawPeer.ConnectAsync(b.EndPoint);
        await raw.AuthenticateAsync(selfId: 3, peerId: 2, TestNode.Secret);

        await raw.SendBatchAsync(Heartbeat(from: 1, to: 2, term: 666), Heartbeat(from: 3, to: 2, term: 5));

        var received = await b.Handler.WaitForMessagesAsync(1);
        Assert.Equal(3UL, Assert.Single(received).Message.From);
        Assert.Equal(1, b.Transport.GetStats().SpoofedMessages);
        Assert.True(b.Log.Logged(LogLevel.Warning, "claiming to be from node 1 on the connection authenticated as node 3"));
    }

    [Fact]
    public async Task A_forwarded_leader_transfer_may_name_another_node_as_its_sender()
    {
        await using var b = await TestNode.StartAsync(2);
        using var raw = await RawPeer.ConnectAsync(b.EndPoint);
        await raw.AuthenticateAsync(selfId: 3, peerId: 2, TestNode.Secret);

        await raw.SendBatchAsync(new GroupMessage(1, new Message { Type = MessageType.TransferLeader, From = 1, To = 2 }));

        var received = await b.Handler.WaitForMessagesAsync(1);
        Assert.Equal(MessageType.TransferLeader, Assert.Single(received).Message.Type);
    }

    [Fact]
    public async Task A_link_pointed_at_the_wrong_node_is_refused()
    {
        await using var a = await TestNode.StartAsync(1);
        await using var b = await TestNode.StartAsync(2);
        a.Transport.AddPeer(3, b.EndPoint);

        await Eventually.TrueAsync(() => a.Transport.GetStats().Peers[0].ConnectFailures >= 1, "node 1 to notice node 2 is not node 3");
        await Eventually.TrueAsync(() => b.Transport.GetStats().HandshakesRejected >= 1, "node 2 to reject a connection meant for node 3");
        Assert.False(a.Transport.IsPeerConnected(3));
    }

    [Fact]
    public async Task A_connection_that_never_says_hello_is_closed_after_the_handshake_timeout()
    {
        await using var b = await TestNode.StartAsync(2, configure: o => o with { HandshakeTimeout = TimeSpan.FromMilliseconds(200) });
        using var silent = await RawPeer.ConnectAsync(b.EndPoint);

        await silent.WaitForCloseAsync();
        Assert.Equal(1, b.Transport.GetStats().HandshakesRejected);
    }

    /// <summary>Fills in the header of a frame built by the handshake's builders.</summary>
    private static byte[] Sealed(byte[] frame)
    {
        FrameHeader.Write(frame);
        return frame;
    }
}
