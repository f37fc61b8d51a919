using Dst.Client;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Networking;

/// <summary>A server with several client event loops: connections spread over them all see one keyspace.</summary>
public sealed class EventLoopServerTests
{
    private const int Clients = 7;
    private const int WritesPerClient = 200;

    [Fact]
    public async Task Clients_spread_over_three_loops_write_and_read_one_keyspace()
    {
        await using var server = await ServerProcess.StartAsync("--io-threads", "3");
        var connections = new List<RespConnection>();
        try
        {
            for (var i = 0; i < Clients; i++)
            {
                connections.Add(await server.ConnectAsync());
            }
            await Task.WhenAll(connections.Select((redis, client) => Task.Run(async () =>
            {
                using var deadline = new CancellationTokenSource(RawConnection.ReplyTimeout);
                var writes = Enumerable.Range(0, WritesPerClient).Select(i => new[] { "INCR", "loops:counter" });
                Assert.All(await redis.ExecuteManyAsync(writes, deadline.Token), reply => Assert.True(reply.AsInteger() > 0));
                RespAssert.Ok(await redis.RunAsync("SET", $"loops:client:{client}", $"{client}"));
            })));
            foreach (var redis in connections)
            {
                RespAssert.Bulk($"{Clients * WritesPerClient}", await redis.RunAsync("GET", "loops:counter"));
            }
            var keys = (await connections[0].RunAsync(["MGET", .. Enumerable.Range(0, Clients).Select(i => $"loops:client:{i}")])).AsList();
            Assert.Equal(Enumerable.Range(0, Clients).Select(i => $"{i}"), keys.Select(key => key.AsString()));
        }
        finally
        {
            foreach (var redis in connections)
            {
                await redis.DisposeAsync();
            }
        }
    }
}
