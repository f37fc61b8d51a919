using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Dst.Testing.Network;

namespace Dst.Testing.Tests;

public sealed class FaultProxyTests
{
    /// <summary>Bounds a read that must get an answer; only a broken proxy ever reaches it.</summary>
    private static readonly TimeSpan ReadDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Pass_forwards_both_ways()
    {
        await using var echo = new EchoServer();
        await using var proxy = FaultProxy.Start(echo.Port);
        using var client = await ConnectAsync(proxy.Port);
        Assert.Equal("hello", await RoundTripAsync(client, "hello"));
        Assert.Equal("again", await RoundTripAsync(client, "again"));
        Assert.Equal(1, echo.Accepted);
    }

    [Fact]
    public async Task Drop_cuts_live_connections_and_blackholes_new_ones()
    {
        await using var echo = new EchoServer();
        await using var proxy = FaultProxy.Start(echo.Port);
        using var live = await ConnectAsync(proxy.Port);
        Assert.Equal("before", await RoundTripAsync(live, "before"));

        proxy.Drop();
        Assert.True(await IsClosedAsync(live), "a live connection must be cut when the link starts dropping");

        // A new connection is accepted, its bytes vanish, and the target never sees it.
        using var blackholed = await ConnectAsync(proxy.Port);
        await blackholed.SendAsync(Encoding.ASCII.GetBytes("lost"), SocketFlags.None);
        await Eventually.UntilAsync(() => proxy.DiscardedBytes == 4, "the blackhole to swallow 4 bytes");
        Assert.Equal(1, echo.Accepted);
        Assert.Equal(0, blackholed.Available);
    }

    [Fact]
    public async Task Healing_cuts_blackholed_connections_and_new_ones_pass()
    {
        await using var echo = new EchoServer();
        await using var proxy = FaultProxy.Start(echo.Port);
        proxy.Drop();
        using var blackholed = await ConnectAsync(proxy.Port);
        await Eventually.UntilAsync(() => proxy.OpenConnections == 1, "the blackholed connection to be accepted");

        proxy.Pass();
        Assert.True(await IsClosedAsync(blackholed), "a blackholed connection must be cut when the link heals");
        using var fresh = await ConnectAsync(proxy.Port);
        Assert.Equal("healed", await RoundTripAsync(fresh, "healed"));
    }

    [Fact]
    public async Task Delay_holds_traffic_back_in_order()
    {
        await using var echo = new EchoServer();
        await using var proxy = FaultProxy.Start(echo.Port);
        using var client = await ConnectAsync(proxy.Port);
        var delay = TimeSpan.FromMilliseconds(200);
        proxy.Delay(delay);

        var clock = Stopwatch.StartNew();
        await client.SendAsync(Encoding.ASCII.GetBytes("ab"), SocketFlags.None);
        await client.SendAsync(Encoding.ASCII.GetBytes("cd"), SocketFlags.None);
        var echoed = await ReadExactlyAsync(client, 4);

        // Only a lower bound: each direction adds the delay, so the echo cannot come sooner.
        Assert.True(clock.Elapsed >= 2 * delay, $"the echo came back after {clock.Elapsed.TotalMilliseconds} ms");
        Assert.Equal("abcd", echoed);
        Assert.Equal(LinkMode.Delay, proxy.Mode);
    }

    [Fact]
    public async Task A_target_that_is_down_closes_the_diallers_connection()
    {
        var closedPort = FreePort.Next();
        await using var proxy = FaultProxy.Start(closedPort);
        Socket client;
        try
        {
            client = await ConnectAsync(proxy.Port);
        }
        catch (SocketException)
        {
            return; // the reset overtook the connect: as closed as it gets
        }
        using (client)
        {
            Assert.True(await IsClosedAsync(client));
        }
    }

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }

    private static async Task<string> RoundTripAsync(Socket socket, string text)
    {
        await socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None);
        return await ReadExactlyAsync(socket, text.Length);
    }

    private static async Task<string> ReadExactlyAsync(Socket socket, int length)
    {
        using var deadline = new CancellationTokenSource(ReadDeadline);
        var buffer = new byte[length];
        var read = 0;
        while (read < length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, deadline.Token);
            Assert.True(n > 0, "the connection closed early");
            read += n;
        }
        return Encoding.ASCII.GetString(buffer);
    }

    /// <summary>True when the peer closed or reset the connection (a read ends), false if it is still open at the deadline.</summary>
    private static async Task<bool> IsClosedAsync(Socket socket)
    {
        using var deadline = new CancellationTokenSource(ReadDeadline);
        var buffer = new byte[256];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token) > 0)
            {
            }
            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
