using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Features;

/// <summary>Every data type, written by Redis and typed commands and a transaction, survives SIGKILL and restart unchanged.</summary>
public sealed class RestartTests
{
    private static readonly string[][] Reads =
    [
        ["GET", "rs:string"],
        ["GET", "rs:typed"],
        ["HGETALL", "rs:hash"],
        ["LRANGE", "rs:list", "0", "-1"],
        ["SMEMBERS", "rs:set"],
        ["ZRANGE", "rs:zset", "0", "-1", "WITHSCORES"],
        ["GET", "rs:tx"],
        ["LRANGE", "rs:popped", "0", "-1"],
        ["DBSIZE"],
    ];

    [Fact]
    public async Task Every_type_survives_kill_and_restart_with_identical_contents()
    {
        await using var server = await ServerProcess.StartAsync("--snapshot-every-entries", "7", "--snapshot-min-log-size", "0");
        string[] before;
        await using (var redis = await server.ConnectAsync())
        {
            await redis.RunAsync("SET", "rs:string", "plain");
            await redis.RunAsync("str.put", "rs:typed", "typed");
            await redis.RunAsync("dict.put", "rs:hash", "f1", "v1", "f2", "v2");
            await redis.RunAsync("HSET", "rs:hash", "f3", "v3");
            await redis.RunAsync("list.push", "rs:list", "a", "b", "c");
            await redis.RunAsync("LPUSH", "rs:list", "z");
            await redis.RunAsync("SADD", "rs:set", "m1", "m2", "3");
            await redis.RunAsync("zset.add", "rs:zset", "1", "one", "2.5", "two");
            await redis.RunAsync("MULTI");
            await redis.RunAsync("SET", "rs:tx", "in-transaction");
            await redis.RunAsync("RPUSH", "rs:popped", "x", "y");
            await redis.RunAsync("EXEC");
            await redis.RunAsync("BLPOP", "rs:popped", "0");
            before = await ReadAllAsync(redis);
        }
        await server.RestartAsync();
        await using var after = await server.ConnectAsync();
        Assert.Equal(before, await ReadAllAsync(after));
        RespAssert.Array(await after.RunAsync("LRANGE", "rs:popped", "0", "-1"), "y");
        RespAssert.Bulk("v3", await after.RunAsync("dict.get", "rs:hash", "f3"));
    }

    private static async Task<string[]> ReadAllAsync(Dst.Client.RespConnection redis)
    {
        var replies = new List<string>();
        foreach (var read in Reads)
        {
            var reply = await redis.RunAsync(read);
            // Sets have no order: compare their members sorted.
            replies.Add(read[0] == "SMEMBERS"
                ? string.Join(",", reply.AsList().Select(v => v.AsString()).Order(StringComparer.Ordinal))
                : reply.ToString());
        }
        return [.. replies];
    }
}
