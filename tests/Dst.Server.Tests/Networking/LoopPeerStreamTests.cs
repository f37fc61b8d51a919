using System.Net.Sockets;
using Dst.Server.Networking;

namespace Dst.Server.Tests.Networking;

/// <summary>
/// <see cref="LoopPeerStream"/>, the stream under a peer's connection when it is served by an event
/// loop: bytes flow both ways, and a wait with a deadline (the handshake's) ends with
/// <see cref="OperationCanceledException"/> and closes the connection.
/// </summary>
public sealed class LoopPeerStreamTests : IDisposable
{
    private static readonly TimeSpan Patience = LoopTestBed.Patience;

    private readonly LoopTestBed _bed = new();

    [Fact]
    public async Task Bytes_flow_both_ways_with_and_without_a_token()
    {
        var (stream, client) = await ConnectAsync();
        using (stream)
        using (client)
        using (var token = new CancellationTokenSource(Patience))
        {
            await client.SendAsync("ping"u8.ToArray());
            var buffer = new byte[16];
            var count = await stream.ReceiveAsync(buffer, token.Token).AsTask().WaitAsync(Patience);
            Assert.Equal("ping"u8.ToArray(), buffer[..count]);

            await stream.SendAsync("pong"u8.ToArray(), CancellationToken.None);
            var reply = new byte[16];
            count = await client.ReceiveAsync(reply).WaitAsync(Patience);
            Assert.Equal("pong"u8.ToArray(), reply[..count]);
        }
        _bed.AssertNoLoopErrors();
    }

    [Fact]
    public async Task A_wait_past_its_deadline_is_cancelled_and_closes_the_connection()
    {
        var (stream, client) = await ConnectAsync();
        using (stream)
        using (client)
        using (var deadline = new CancellationTokenSource())
        {
            var receive = stream.ReceiveAsync(new byte[16], deadline.Token).AsTask();
            Assert.False(receive.IsCompleted);

            await deadline.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receive.WaitAsync(Patience));
            var received = await client.ReceiveAsync(new byte[1]).WaitAsync(Patience);
            Assert.Equal(0, received); // the peer sees the connection end
        }
        _bed.AssertNoLoopErrors();
    }

    private async Task<(LoopPeerStream Stream, Socket Client)> ConnectAsync()
    {
        var (server, client) = await _bed.ConnectAsync();
        return (new LoopPeerStream(server), client);
    }

    public void Dispose() => _bed.Dispose();
}
