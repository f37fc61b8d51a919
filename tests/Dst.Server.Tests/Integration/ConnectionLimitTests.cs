using Dst.Client;
using Dst.Protocol;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Integration;

/// <summary>maxclients and protected mode, set by flag and by config file.</summary>
public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task Connections_past_maxclients_are_refused_with_redis_message_until_one_leaves()
    {
        await using var server = await ServerProcess.StartAsync("--maxclients", "2");
        // The harness's readiness PING used a connection too, counted until the server sees it close:
        // connect the two clients until both are served.
        RespConnection? first = null;
        RespConnection? second = null;
        await Eventually.UntilAsync(async () =>
        {
            await DisposeAsync(first, second);
            first = await server.ConnectAsync();
            second = await server.ConnectAsync();
            return (await first.RunAsync("PING")).Type == RespType.SimpleString
                && (await second.RunAsync("PING")).Type == RespType.SimpleString;
        }, "two clients to be served once the readiness probe's connection is gone");
        await using var _ = second!;

        await using (var third = await server.ConnectRawAsync())
        {
            await third.SendAsync("PING\r\n");
            Assert.Equal("-ERR max number of clients reached\r\n", await third.ReadUntilClosedAsync());
        }

        await first!.DisposeAsync();
        await Eventually.UntilAsync(async () =>
        {
            await using var retry = await server.ConnectRawAsync();
            await retry.SendAsync("PING\r\n");
            var reply = await retry.ReadReplyAsync();
            return reply.Type == RespType.SimpleString;
        }, "a connection to be accepted again after one of the two clients left");
        RespAssert.SimpleString("PONG", await second!.RunAsync("PING"));
    }

    private static async Task DisposeAsync(params RespConnection?[] connections)
    {
        foreach (var connection in connections)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Protected_mode_flag_is_reported_and_loopback_clients_are_served()
    {
        await using var server = await ServerProcess.StartAsync("--protected-mode", "yes");
        await using var redis = await server.ConnectAsync();
        RespAssert.Array(await redis.RunAsync("CONFIG", "GET", "protected-mode"), "protected-mode", "yes");
        RespAssert.Ok(await redis.RunAsync("SET", "protected:k", "v"));
    }

    [Fact]
    public async Task A_config_file_sets_protected_mode_maxclients_and_password()
    {
        const string config = """
            # dst-server configuration, redis.conf syntax
            protected-mode no
            maxclients 77
            requirepass "from file"
            appendfsync everysec
            """;
        await using var server = await ServerProcess.StartAsync([], config);
        await using var redis = await server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("AUTH", "from file"));
        RespAssert.Array(await redis.RunAsync("CONFIG", "GET", "protected-mode"), "protected-mode", "no");
        RespAssert.Array(await redis.RunAsync("CONFIG", "GET", "maxclients"), "maxclients", "77");
        RespAssert.Array(await redis.RunAsync("CONFIG", "GET", "appendfsync"), "appendfsync", "everysec");
    }

    [Fact]
    public async Task Command_line_flags_override_the_config_file()
    {
        await using var server = await ServerProcess.StartAsync(["--maxclients", "12"], "maxclients 77\n");
        await using var redis = await server.ConnectAsync();
        RespAssert.Array(await redis.RunAsync("CONFIG", "GET", "maxclients"), "maxclients", "12");
    }

    [Fact]
    public async Task Invalid_options_stop_the_server_with_a_message()
    {
        var exited = await Assert.ThrowsAsync<ServerExitedException>(() => ServerProcess.StartAsync("--appendfsync", "sometimes"));
        Assert.NotEqual(0, exited.ExitCode);
        Assert.Contains("appendfsync", exited.ServerOutput, StringComparison.Ordinal);
    }
}
