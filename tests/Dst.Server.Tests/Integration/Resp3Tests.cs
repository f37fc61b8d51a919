using Dst.Protocol;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Integration;

/// <summary>HELLO switches the reply dialect; RESP3 replies carry their own types.</summary>
public sealed class Resp3Tests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Hello_3_replies_with_a_map_describing_the_server()
    {
        await using var redis = await Server.ConnectAsync();
        var hello = await redis.RunAsync("HELLO", "3");
        Assert.Equal(RespType.Map, hello.Type);
        var fields = hello.AsMap();
        foreach (var field in new[] { "server", "version", "proto", "id", "mode", "role", "modules" })
        {
            Assert.True(fields.ContainsKey(field), $"HELLO map lacks '{field}': {hello}");
        }
        RespAssert.Integer(3, fields["proto"]);
        Assert.Equal(RespType.Integer, fields["id"].Type);
        Assert.Equal(RespType.Array, fields["modules"].Type);
    }

    [Fact]
    public async Task Resp3_nulls_maps_and_booleans_have_their_own_types()
    {
        await using var redis = await Server.ConnectAsync();
        await redis.RunAsync("HELLO", "3");
        Assert.Equal(RespType.Null, (await redis.RunAsync("GET", "resp3:missing")).Type);
        var mget = await redis.RunAsync("MGET", "resp3:missing", "resp3:missing2");
        Assert.All(mget.AsList(), item => Assert.Equal(RespType.Null, item.Type));
        var config = await redis.RunAsync("CONFIG", "GET", "appendonly");
        Assert.Equal(RespType.Map, config.Type);
        Assert.True(config.AsMap().ContainsKey("appendonly"), config.ToString());
    }

    [Fact]
    public async Task Resp3_doubles_and_resp2_bulk_strings_carry_the_same_number()
    {
        await using var resp3 = await Server.ConnectAsync();
        await resp3.RunAsync("HELLO", "3");
        RespAssert.Integer(1, await resp3.RunAsync("ZADD", "resp3:zset", "1.5", "member"));
        var score3 = await resp3.RunAsync("ZSCORE", "resp3:zset", "member");
        Assert.Equal(RespType.Double, score3.Type);
        Assert.Equal("1.5", score3.GetString());

        await using var resp2 = await Server.ConnectAsync();
        RespAssert.Bulk("1.5", await resp2.RunAsync("ZSCORE", "resp3:zset", "member"));
    }

    [Fact]
    public async Task Hello_2_returns_to_flat_arrays_and_unknown_versions_are_refused()
    {
        await using var redis = await Server.ConnectAsync();
        await redis.RunAsync("HELLO", "3");
        var hello2 = await redis.RunAsync("HELLO", "2");
        Assert.Equal(RespType.Array, hello2.Type);
        RespAssert.Integer(2, hello2.AsMap()["proto"]);
        RespAssert.Nil(await redis.RunAsync("GET", "resp3:missing"));
        RespAssert.Error("NOPROTO unsupported protocol version", await redis.RunAsync("HELLO", "4"));
    }

    [Fact]
    public async Task Hello_setname_names_the_connection()
    {
        await using var redis = await Server.ConnectAsync();
        var hello = await redis.RunAsync("HELLO", "3", "SETNAME", "resp3-test");
        Assert.Equal(RespType.Map, hello.Type);
        RespAssert.Bulk("resp3-test", await redis.RunAsync("CLIENT", "GETNAME"));
    }
}
