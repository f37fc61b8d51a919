using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Integration;

/// <summary>The compact-encoding thresholds: set at start-up under Redis's names or their ziplist aliases, changed by CONFIG SET through the log.</summary>
public sealed class EncodingOptionTests
{
    [Fact]
    public async Task Thresholds_from_the_command_line_decide_conversions_and_are_reported_by_config_get()
    {
        await using var server = await ServerProcess.StartAsync("--hash-max-ziplist-entries", "2", "--zset-max-listpack-entries", "1");
        await using var redis = await server.ConnectAsync();

        RespAssert.Array(await redis.RunAsync("CONFIG", "GET", "hash-max-listpack-entries"), "hash-max-listpack-entries", "2");
        RespAssert.Array(await redis.RunAsync("CONFIG", "GET", "hash-max-ziplist-entries"), "hash-max-ziplist-entries", "2");
        RespAssert.Array(await redis.RunAsync("CONFIG", "GET", "set-max-intset-entries"), "set-max-intset-entries", "512");

        await redis.RunAsync("HSET", "h", "a", "1", "b", "2");
        Assert.Equal("listpack", (await redis.RunAsync("OBJECT", "ENCODING", "h")).AsString());
        await redis.RunAsync("HSET", "h", "c", "3");
        Assert.Equal("hashtable", (await redis.RunAsync("OBJECT", "ENCODING", "h")).AsString());

        await redis.RunAsync("ZADD", "z", "1", "a");
        Assert.Equal("listpack", (await redis.RunAsync("OBJECT", "ENCODING", "z")).AsString());
        await redis.RunAsync("ZADD", "z", "2", "b");
        Assert.Equal("skiplist", (await redis.RunAsync("OBJECT", "ENCODING", "z")).AsString());
    }

    [Fact]
    public async Task Config_set_changes_a_threshold_through_the_log_and_it_survives_a_restart()
    {
        await using var server = await ServerProcess.StartAsync("--hash-max-listpack-entries", "100");
        await using (var redis = await server.ConnectAsync())
        {
            RespAssert.ErrorStartsWith(
                "ERR CONFIG SET failed (possibly related to argument 'list-max-ziplist-size') - argument must not be 0",
                await redis.RunAsync("CONFIG", "SET", "hash-max-listpack-entries", "2", "list-max-ziplist-size", "0"));
            RespAssert.Array(await redis.RunAsync("CONFIG", "GET", "hash-max-listpack-entries"), "hash-max-listpack-entries", "100");

            RespAssert.Ok(await redis.RunAsync("CONFIG", "SET", "hash-max-ziplist-entries", "2", "loglevel", "verbose"));
            RespAssert.Array(await redis.RunAsync("CONFIG", "GET", "hash-max-listpack-entries"), "hash-max-listpack-entries", "2");
            await redis.RunAsync("HSET", "h", "a", "1", "b", "2", "c", "3");
            Assert.Equal("hashtable", (await redis.RunAsync("OBJECT", "ENCODING", "h")).AsString());
            RespAssert.Ok(await redis.RunAsync("SAVE"));
        }

        // The applied value is replicated state: the snapshot carries it over the start-up value.
        await server.RestartAsync();
        await using var again = await server.ConnectAsync();
        RespAssert.Array(await again.RunAsync("CONFIG", "GET", "hash-max-listpack-entries"), "hash-max-listpack-entries", "2");
    }
}
