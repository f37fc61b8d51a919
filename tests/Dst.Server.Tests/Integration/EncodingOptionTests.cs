using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Integration;

/// <summary>The compact-encoding thresholds: set at start-up under Redis's names or their ziplist aliases.</summary>
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
    public async Task Thresholds_cannot_change_at_runtime_because_every_replica_must_convert_alike()
    {
        await using var server = await ServerProcess.StartAsync();
        await using var redis = await server.ConnectAsync();

        RespAssert.ErrorStartsWith(
            "ERR CONFIG SET failed (possibly related to argument 'hash-max-listpack-entries') - can't set immutable config",
            await redis.RunAsync("CONFIG", "SET", "hash-max-listpack-entries", "10"));
    }
}
