using System.Net.Sockets;
using Dst.Server.Networking;

namespace Dst.Server.Tests.Networking;

/// <summary>
/// <see cref="LoopSocket"/> over real loopback TCP: receives wait for edges and resume on the event
/// loop, sends survive a full kernel buffer, peer closes and disposal end waits.
/// </summary>
public sealed class LoopSocketTests : IDisposable
{
    private static readonly TimeSpan Patience = LoopTestBed.Patience;

    private readonly LoopTestBed _bed = new();

    [Fact]
    public async Task A_receive_waits_for_data_and_resumes_on_the_loop()
    {
        var (server, client) = await ConnectAsync();
        using (server)
        using (client)
        {
            var buffer = new byte[64];
            var receive = server.ReceiveAsync(buffer);
            Assert.False(receive.IsCompleted);
            var done = AwaitOnWhichLoopAsync(receive); // suspended at its await before anything is sent
            await client.SendAsync("hello"u8.ToArray());
            var (count, resumedOn) = await done.WaitAsync(Patience);
            Assert.Equal(5, count);
            Assert.Same(_bed.Loop, resumedOn);
            Assert.Equal("hello"u8.ToArray(), buffer[..5]);
        }
        AssertNoLoopErrors();
    }

    [Fact]
    public async Task Data_already_waiting_is_received_at_once()
    {
        var (server, client) = await ConnectAsync();
        using (server)
        using (client)
        {
            await client.SendAsync(new byte[10]);
            var buffer = new byte[4];
            var total = 0;
            while (total < 10)
            {
                total += await server.ReceiveAsync(buffer).AsTask().WaitAsync(Patience);
            }
            Assert.Equal(10, total);
        }
    }

    [Fact]
    public async Task A_send_larger_than_the_kernel_buffers_completes_once_the_peer_reads()
    {
        var (server, client) = await ConnectAsync();
        using (server)
        using (client)
        {
            var data = new byte[16 * 1024 * 1024];
            new Random(7).NextBytes(data);
            var send = server.SendAsync(data).AsTask();
            await Task.Delay(100);
            Assert.False(send.IsCompleted, "16 MiB should not fit in loopback socket buffers");
            var received = new byte[data.Length];
            var total = 0;
            while (total < data.Length)
            {
                var count = await client.ReceiveAsync(received.AsMemory(total)).AsTask().WaitAsync(Patience);
                Assert.True(count > 0);
                total += count;
            }
            await send.WaitAsync(Patience);
            Assert.Equal(data, received);
        }
        AssertNoLoopErrors();
    }

    [Fact]
    public async Task A_waiting_receive_sees_the_peer_close_as_zero_bytes()
    {
        var (server, client) = await ConnectAsync();
        using (server)
        {
            var receive = server.ReceiveAsync(new byte[16]).AsTask();
            client.Dispose();
            Assert.Equal(0, await receive.WaitAsync(Patience));
        }
    }

    [Fact]
    public async Task Shutdown_ends_a_waiting_receive()
    {
        var (server, client) = await ConnectAsync();
        using (server)
        using (client)
        {
            var receive = server.ReceiveAsync(new byte[16]).AsTask();
            server.Shutdown();
            Assert.Equal(0, await receive.WaitAsync(Patience));
        }
    }

    [Fact]
    public async Task Waiting_for_the_peer_to_close_consumes_nothing()
    {
        var (server, client) = await ConnectAsync();
        using (server)
        using (client)
        {
            var wait = server.WaitForPeerCloseAsync(CancellationToken.None);
            Assert.False(wait.IsCompleted);
            await client.SendAsync("data"u8.ToArray());
            Assert.False(await wait.WaitAsync(Patience), "data arrived: the peer did not close");
            var buffer = new byte[16];
            Assert.Equal(4, await server.ReceiveAsync(buffer).AsTask().WaitAsync(Patience));
            Assert.Equal("data"u8.ToArray(), buffer[..4]);

            var closeWait = server.WaitForPeerCloseAsync(CancellationToken.None);
            client.Shutdown(SocketShutdown.Send);
            Assert.True(await closeWait.WaitAsync(Patience));
        }
    }

    [Fact]
    public async Task A_cancelled_wait_for_close_leaves_the_socket_usable()
    {
        var (server, client) = await ConnectAsync();
        using (server)
        using (client)
        {
            using var stop = new CancellationTokenSource();
            var wait = server.WaitForPeerCloseAsync(stop.Token);
            stop.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Patience));

            var buffer = new byte[16];
            var receive = server.ReceiveAsync(buffer).AsTask();
            await client.SendAsync("after"u8.ToArray());
            Assert.Equal(5, await receive.WaitAsync(Patience));
        }
        AssertNoLoopErrors();
    }

    [Fact]
    public async Task Disposing_fails_a_waiting_receive()
    {
        var (server, client) = await ConnectAsync();
        using (client)
        {
            var receive = server.ReceiveAsync(new byte[16]).AsTask();
            server.Dispose();
            await Assert.ThrowsAsync<ObjectDisposedException>(() => receive.WaitAsync(Patience));
            Assert.Throws<ObjectDisposedException>(() => server.ReceiveAsync(new byte[16]));
        }
    }

    [Fact]
    public async Task Many_connections_echo_concurrently_on_one_loop()
    {
        const int Connections = 20;
        const int RoundTrips = 500;
        var pairs = new List<(LoopSocket Server, Socket Client)>();
        for (var i = 0; i < Connections; i++)
        {
            pairs.Add(await ConnectAsync());
        }
        try
        {
            var echoes = pairs.Select(p => EchoAsync(p.Server)).ToList();
            var clients = pairs.Select((p, i) => Task.Run(() => PingPongAsync(p.Client, i, RoundTrips))).ToList();
            await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(120));
            foreach (var (_, client) in pairs)
            {
                client.Shutdown(SocketShutdown.Send);
            }
            await Task.WhenAll(echoes).WaitAsync(Patience);
        }
        finally
        {
            foreach (var (server, client) in pairs)
            {
                server.Dispose();
                client.Dispose();
            }
        }
        AssertNoLoopErrors();
    }

    private static async Task<(int Count, EventLoop? ResumedOn)> AwaitOnWhichLoopAsync(ValueTask<int> receive)
    {
        var count = await receive.ConfigureAwait(false);
        return (count, EventLoop.Current);
    }

    private static async Task EchoAsync(LoopSocket socket)
    {
        var buffer = new byte[256];
        while (true)
        {
            var count = await socket.ReceiveAsync(buffer).ConfigureAwait(false);
            if (count == 0)
            {
                return;
            }
            await socket.SendAsync(buffer.AsMemory(0, count)).ConfigureAwait(false);
        }
    }

    private static async Task PingPongAsync(Socket client, int id, int roundTrips)
    {
        var message = new byte[8];
        var reply = new byte[8];
        for (var i = 0; i < roundTrips; i++)
        {
            BitConverter.TryWriteBytes(message, ((long)id << 32) | (uint)i);
            await client.SendAsync(message);
            var total = 0;
            while (total < reply.Length)
            {
                var count = await client.ReceiveAsync(reply.AsMemory(total));
                Assert.True(count > 0, "the echo server closed early");
                total += count;
            }
            Assert.Equal(message, reply);
        }
    }

    private Task<(LoopSocket Server, Socket Client)> ConnectAsync() => _bed.ConnectAsync();

    private void AssertNoLoopErrors() => _bed.AssertNoLoopErrors();

    public void Dispose() => _bed.Dispose();
}
