using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Integration;

/// <summary>Stopping and starting: SHUTDOWN, SIGTERM, restarts, and recovery from snapshot plus log.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task Shutdown_exits_cleanly_and_a_restart_keeps_the_data()
    {
        await using var server = await ServerProcess.StartAsync();
        await using (var redis = await server.ConnectAsync())
        {
            RespAssert.Ok(await redis.RunAsync("SET", "life:k", "v"));
            RespAssert.Integer(3, await redis.RunAsync("INCRBY", "life:n", "3"));
        }
        await using (var raw = await server.ConnectRawAsync())
        {
            await raw.SendAsync(RawConnection.Encode("SHUTDOWN"));
            Assert.Equal("", await raw.ReadUntilClosedAsync());
        }
        Assert.Equal(0, await server.WaitForExitAsync());

        await server.RestartAsync();
        await using var after = await server.ConnectAsync();
        RespAssert.Bulk("v", await after.RunAsync("GET", "life:k"));
        RespAssert.Bulk("3", await after.RunAsync("GET", "life:n"));
    }

    [Fact]
    public async Task Sigterm_stops_the_server_cleanly_and_keeps_the_data()
    {
        await using var server = await ServerProcess.StartAsync("--appendfsync", "everysec");
        await using (var redis = await server.ConnectAsync())
        {
            RespAssert.Ok(await redis.RunAsync("SET", "life:term", "v"));
        }
        server.Terminate();
        Assert.Equal(0, await server.WaitForExitAsync());
        await server.RestartAsync();
        await using var after = await server.ConnectAsync();
        RespAssert.Bulk("v", await after.RunAsync("GET", "life:term"));
    }

    [Fact]
    public async Task Save_then_crash_recovers_from_the_snapshot_plus_the_log_after_it()
    {
        await using var server = await ServerProcess.StartAsync();
        await using (var redis = await server.ConnectAsync())
        {
            var before = (await redis.RunAsync("LASTSAVE")).AsInteger();
            for (var i = 0; i < 500; i++)
            {
                RespAssert.Ok(await redis.RunAsync("SET", $"life:snap:{i}", $"before:{i}"));
            }
            RespAssert.Ok(await redis.RunAsync("SAVE"));
            Assert.True((await redis.RunAsync("LASTSAVE")).AsInteger() >= before);
            for (var i = 250; i < 750; i++)
            {
                RespAssert.Ok(await redis.RunAsync("SET", $"life:snap:{i}", $"after:{i}"));
            }
            RespAssert.Integer(10, await redis.RunAsync(["DEL", .. Enumerable.Range(0, 10).Select(i => $"life:snap:{i}")]));
        }
        await server.KillAsync();
        await server.RestartAsync();

        await using var recovered = await server.ConnectAsync();
        RespAssert.Integer(740, await recovered.RunAsync("DBSIZE"));
        for (var i = 0; i < 750; i++)
        {
            var value = await recovered.RunAsync("GET", $"life:snap:{i}");
            if (i < 10)
            {
                RespAssert.Nil(value);
            }
            else
            {
                RespAssert.Bulk(i < 250 ? $"before:{i}" : $"after:{i}", value);
            }
        }
        RespAssert.Ok(await recovered.RunAsync("SET", "life:snap:new", "accepted"));
    }

    [Fact]
    public async Task Bgsave_completes_and_lastsave_moves_forward()
    {
        await using var server = await ServerProcess.StartAsync();
        await using var redis = await server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("SET", "life:bg", "v"));
        var before = (await redis.RunAsync("LASTSAVE")).AsInteger();
        var reply = await redis.RunAsync("BGSAVE");
        Assert.False(reply.IsError, reply.ToString());
        await Eventually.UntilAsync(async () =>
        {
            var persistence = (await redis.RunAsync("INFO", "persistence")).AsString();
            return persistence.Contains("rdb_bgsave_in_progress:0", StringComparison.Ordinal)
                && (await redis.RunAsync("LASTSAVE")).AsInteger() >= before;
        }, "BGSAVE to finish");
        await server.KillAsync();
        await server.RestartAsync();
        await using var after = await server.ConnectAsync();
        RespAssert.Bulk("v", await after.RunAsync("GET", "life:bg"));
        Assert.True((await after.RunAsync("LASTSAVE")).AsInteger() >= before);
    }
}
