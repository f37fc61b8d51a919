using Dst.Client;
using Dst.Protocol;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Integration;

/// <summary>
/// Commands over the whole keyspace (KEYS, SCAN, RANDOMKEY, DBSIZE, FLUSHDB). Each test starts from
/// an empty database on this class's own server, so counts are exact.
/// </summary>
public sealed class KeyspaceCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Keys_matches_glob_patterns()
    {
        await using var redis = await EmptyDatabaseAsync();
        RespAssert.Ok(await redis.RunAsync("MSET", "user:1", "a", "user:2", "b", "user:10", "c", "order:1", "d"));
        Assert.Equal(["user:1", "user:10", "user:2"], Sorted(await redis.RunAsync("KEYS", "user:*")));
        Assert.Equal(["user:1", "user:2"], Sorted(await redis.RunAsync("KEYS", "user:?")));
        Assert.Equal(["order:1", "user:1"], Sorted(await redis.RunAsync("KEYS", "*:1")));
        Assert.Equal(["user:1", "user:2"], Sorted(await redis.RunAsync("KEYS", "user:[12]")));
        Assert.Empty(Sorted(await redis.RunAsync("KEYS", "nothing*")));
    }

    [Fact]
    public async Task Scan_visits_every_key_and_honours_match_count_and_type()
    {
        await using var redis = await EmptyDatabaseAsync();
        var expected = new List<string>();
        for (var i = 0; i < 250; i++)
        {
            expected.Add($"scan:{i}");
            RespAssert.Ok(await redis.RunAsync("SET", $"scan:{i}", "v"));
        }
        RespAssert.Ok(await redis.RunAsync("SET", "other", "v"));

        var seen = new HashSet<string>();
        var cursor = "0";
        var rounds = 0;
        do
        {
            var reply = (await redis.RunAsync("SCAN", cursor, "MATCH", "scan:*", "COUNT", "20", "TYPE", "string")).AsList();
            cursor = reply[0].AsString();
            seen.UnionWith(reply[1].AsList().Select(key => key.AsString()));
            Assert.True(++rounds < 10_000, "SCAN never returned cursor 0");
        }
        while (cursor != "0");

        Assert.Equal(expected.Order(), seen.Order());
        var noHash = (await redis.RunAsync("SCAN", "0", "COUNT", "1000", "TYPE", "hash")).AsList();
        Assert.Empty(noHash[1].AsList());
    }

    [Fact]
    public async Task Dbsize_randomkey_and_flushdb_see_the_whole_keyspace()
    {
        await using var redis = await EmptyDatabaseAsync();
        RespAssert.Integer(0, await redis.RunAsync("DBSIZE"));
        RespAssert.Nil(await redis.RunAsync("RANDOMKEY"));
        RespAssert.Ok(await redis.RunAsync("MSET", "r:1", "a", "r:2", "b", "r:3", "c"));
        RespAssert.Integer(3, await redis.RunAsync("DBSIZE"));
        Assert.Contains((await redis.RunAsync("RANDOMKEY")).AsString(), new[] { "r:1", "r:2", "r:3" });
        RespAssert.Ok(await redis.RunAsync("FLUSHALL"));
        RespAssert.Integer(0, await redis.RunAsync("DBSIZE"));
    }

    private async Task<RespConnection> EmptyDatabaseAsync()
    {
        var redis = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("FLUSHDB"));
        return redis;
    }

    private static string[] Sorted(RespValue reply) => [.. reply.AsList().Select(key => key.AsString()).Order(StringComparer.Ordinal)];
}
