using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Dst.Server.Tests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Dst.Server.Tests.Robustness;

/// <summary>
/// Several connections feed a live server garbage for a bounded time (DST_GARBAGE_SECONDS, default
/// 20; DST_GARBAGE_SEED replays) while one well-behaved client checks every reply it gets. The
/// server must never crash and the well-behaved client must never see a wrong answer.
/// </summary>
public sealed class GarbageTests(ITestOutputHelper output)
{
    private const int GarbageConnections = 3;

    [Fact]
    [Trait("duration", "long")] // bounded by default; skip with --filter "duration!=long"
    public async Task Garbage_on_some_connections_never_crashes_the_server_or_disturbs_another_client()
    {
        var seed = TestSettings.Seed("DST_GARBAGE_SEED");
        var seconds = TestSettings.Integer("DST_GARBAGE_SECONDS", 20);
        var replay = $"DST_GARBAGE_SEED={seed} DST_GARBAGE_SECONDS={seconds} dotnet test tests/Dst.Server.Tests --filter FullyQualifiedName~GarbageTests";
        output.WriteLine($"seed {seed}, {seconds} s; replay with: {replay}");

        await using var server = await ServerProcess.StartAsync();
        var random = new Random(seed);
        var until = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(seconds);
        var attackers = Enumerable.Range(0, GarbageConnections)
            .Select(_ => SendGarbageAsync(server.Port, new GarbageFrames(new Random(random.Next())), () => until.Elapsed < duration))
            .ToArray();
        var checks = CheckAnswersAsync(server, new Random(random.Next()), seed, () => until.Elapsed < duration);

        try
        {
            var frames = (await Task.WhenAll(attackers)).Sum();
            var answers = await checks;
            output.WriteLine($"{frames} garbage frames sent, {answers} well-behaved commands answered correctly");
            Assert.False(server.HasExited, $"dst-server died (seed {seed}):\n{server.Output}");
            await using var probe = await server.ConnectAsync();
            RespAssert.SimpleString("PONG", await probe.RunAsync("PING"));
        }
        catch (Exception error) when (error is not XunitException)
        {
            throw new XunitException($"seed {seed}: {error}\nreplay with: {replay}\nserver output:\n{server.Output}");
        }
    }

    /// <summary>One garbage frame per connection, then close, half-close or a short read: the server must cope with each.</summary>
    private static async Task<int> SendGarbageAsync(int port, GarbageFrames garbage, Func<bool> running)
    {
        var sent = 0;
        var buffer = new byte[4096];
        while (running())
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            try
            {
                var frame = garbage.Next();
                await socket.SendAsync(frame);
                sent++;
                if (sent % 3 == 0)
                {
                    socket.Shutdown(SocketShutdown.Send);
                }
                if (sent % 2 == 0)
                {
                    // Drain replies for a moment, as a client would, without waiting for a frame the server cannot finish.
                    using var glance = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
                    while (await socket.ReceiveAsync(buffer, SocketFlags.None, glance.Token) > 0)
                    {
                    }
                }
            }
            catch (Exception error) when (error is SocketException or OperationCanceledException)
            {
                // The server closing or resetting a connection that sent garbage is the expected outcome.
            }
        }
        return sent;
    }

    /// <summary>The well-behaved client: every reply is checked; keys carry the seed so garbage cannot touch them.</summary>
    private static async Task<int> CheckAnswersAsync(ServerProcess server, Random random, int seed, Func<bool> running)
    {
        await using var redis = await server.ConnectAsync();
        var prefix = $"well-behaved:{seed}:";
        var answered = 0;
        long counter = 0;
        while (running())
        {
            var key = prefix + random.Next(100).ToString(CultureInfo.InvariantCulture);
            var value = Convert.ToHexString(BitConverter.GetBytes(random.NextInt64()));
            RespAssert.Ok(await redis.RunAsync("SET", key, value));
            RespAssert.Bulk(value, await redis.RunAsync("GET", key));
            RespAssert.Integer(++counter, await redis.RunAsync("INCR", prefix + "counter"));
            answered += 3;
        }
        return answered;
    }
}
