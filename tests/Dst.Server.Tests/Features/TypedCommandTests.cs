using Dst.Protocol;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Features;

/// <summary>The seed's typed commands over TCP: the same keys as the Redis commands, maps in RESP3.</summary>
public sealed class TypedCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task The_seed_session_replies_as_the_seed_shows()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Bulk("ok", await redis.RunAsync("str.put", "ty:k1", "v1"));
        RespAssert.Bulk("v1", await redis.RunAsync("str.get", "ty:k1"));
        RespAssert.Bulk("v1", await redis.RunAsync("GET", "ty:k1"));
        RespAssert.Bulk("ok", await redis.RunAsync("dict.put", "ty:dict_1", "k1", "v1", "k2", "v2"));
        RespAssert.Bulk("v2", await redis.RunAsync("dict.get", "ty:dict_1", "k2"));
        RespAssert.Error("ERR wrong number of arguments for 'str.put' command", await redis.RunAsync("str.put", "ty:k1"));

        await redis.HelloAsync(3);
        var map = await redis.RunAsync("dict.get", "ty:dict_1");
        Assert.Equal(RespType.Map, map.Type);
        Assert.Equal("v1", map.AsMap()["k1"].AsString());
        Assert.Equal("v2", map.AsMap()["k2"].AsString());
    }

    [Fact]
    public async Task Command_info_lists_typed_commands()
    {
        await using var redis = await Server.ConnectAsync();
        var info = (await redis.RunAsync("COMMAND", "INFO", "str.put")).AsList()[0].AsList();
        Assert.Equal("str.put", info[0].AsString());
        RespAssert.Integer(3, info[1]);
    }
}
