using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Integration;

/// <summary>String commands end to end over TCP, replies and errors compared with Redis's.</summary>
public sealed class StringCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Set_then_get_returns_the_value_and_a_missing_key_is_nil()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("SET", "str:plain", "hello"));
        RespAssert.Bulk("hello", await redis.RunAsync("GET", "str:plain"));
        RespAssert.Nil(await redis.RunAsync("GET", "str:missing"));
    }

    [Fact]
    public async Task Set_options_NX_XX_and_GET_behave_like_redis()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Nil(await redis.RunAsync("SET", "str:opt", "a", "XX"));
        RespAssert.Nil(await redis.RunAsync("GET", "str:opt"));
        RespAssert.Ok(await redis.RunAsync("SET", "str:opt", "a", "NX"));
        RespAssert.Nil(await redis.RunAsync("SET", "str:opt", "b", "NX"));
        RespAssert.Ok(await redis.RunAsync("SET", "str:opt", "c", "XX"));
        RespAssert.Bulk("c", await redis.RunAsync("SET", "str:opt", "d", "GET"));
        RespAssert.Bulk("d", await redis.RunAsync("GET", "str:opt"));
        RespAssert.Nil(await redis.RunAsync("SET", "str:opt-new", "x", "GET"));
    }

    [Fact]
    public async Task Set_with_expiry_options_sets_a_ttl_and_rejects_bad_ones()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("SET", "str:ex", "v", "EX", "100"));
        RespAssert.IntegerBetween(1, 100, await redis.RunAsync("TTL", "str:ex"));
        RespAssert.Ok(await redis.RunAsync("SET", "str:ex", "v2", "KEEPTTL"));
        RespAssert.IntegerBetween(1, 100, await redis.RunAsync("TTL", "str:ex"));
        RespAssert.Ok(await redis.RunAsync("SET", "str:ex", "v3"));
        RespAssert.Integer(-1, await redis.RunAsync("TTL", "str:ex"));
        RespAssert.Ok(await redis.RunAsync("SET", "str:px", "v", "PX", "100000"));
        RespAssert.IntegerBetween(1, 100_000, await redis.RunAsync("PTTL", "str:px"));
        var inAnHour = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        RespAssert.Ok(await redis.RunAsync("SET", "str:exat", "v", "EXAT", inAnHour));
        RespAssert.Integer(long.Parse(inAnHour, System.Globalization.CultureInfo.InvariantCulture), await redis.RunAsync("EXPIRETIME", "str:exat"));

        RespAssert.Error("ERR invalid expire time in 'set' command", await redis.RunAsync("SET", "str:bad", "v", "EX", "0"));
        RespAssert.Error("ERR syntax error", await redis.RunAsync("SET", "str:bad", "v", "EX", "10", "PX", "100"));
        RespAssert.Error("ERR syntax error", await redis.RunAsync("SET", "str:bad", "v", "NX", "XX"));
        RespAssert.Error("ERR value is not an integer or out of range", await redis.RunAsync("SET", "str:bad", "v", "EX", "soon"));
        RespAssert.Nil(await redis.RunAsync("GET", "str:bad"));
    }

    [Fact]
    public async Task Setnx_setex_psetex_and_getset()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Integer(1, await redis.RunAsync("SETNX", "str:nx", "first"));
        RespAssert.Integer(0, await redis.RunAsync("SETNX", "str:nx", "second"));
        RespAssert.Bulk("first", await redis.RunAsync("GETSET", "str:nx", "third"));
        RespAssert.Bulk("third", await redis.RunAsync("GET", "str:nx"));
        RespAssert.Ok(await redis.RunAsync("SETEX", "str:setex", "100", "v"));
        RespAssert.IntegerBetween(1, 100, await redis.RunAsync("TTL", "str:setex"));
        RespAssert.Ok(await redis.RunAsync("PSETEX", "str:psetex", "100000", "v"));
        RespAssert.IntegerBetween(1, 100_000, await redis.RunAsync("PTTL", "str:psetex"));
        RespAssert.Error("ERR invalid expire time in 'setex' command", await redis.RunAsync("SETEX", "str:setex", "-1", "v"));
    }

    [Fact]
    public async Task Getdel_and_getex()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("SET", "str:getdel", "v"));
        RespAssert.Bulk("v", await redis.RunAsync("GETDEL", "str:getdel"));
        RespAssert.Integer(0, await redis.RunAsync("EXISTS", "str:getdel"));
        RespAssert.Nil(await redis.RunAsync("GETDEL", "str:getdel"));

        RespAssert.Ok(await redis.RunAsync("SET", "str:getex", "v"));
        RespAssert.Bulk("v", await redis.RunAsync("GETEX", "str:getex", "EX", "100"));
        RespAssert.IntegerBetween(1, 100, await redis.RunAsync("TTL", "str:getex"));
        RespAssert.Bulk("v", await redis.RunAsync("GETEX", "str:getex", "PERSIST"));
        RespAssert.Integer(-1, await redis.RunAsync("TTL", "str:getex"));
        RespAssert.Nil(await redis.RunAsync("GETEX", "str:getex-missing", "EX", "100"));
    }

    [Fact]
    public async Task Mset_mget_and_msetnx()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("MSET", "str:m1", "1", "str:m2", "2"));
        RespAssert.Array(await redis.RunAsync("MGET", "str:m1", "str:m-missing", "str:m2"), "1", null, "2");
        RespAssert.Integer(0, await redis.RunAsync("MSETNX", "str:m3", "3", "str:m1", "x"));
        RespAssert.Integer(0, await redis.RunAsync("EXISTS", "str:m3"));
        RespAssert.Integer(1, await redis.RunAsync("MSETNX", "str:m3", "3", "str:m4", "4"));
        RespAssert.Array(await redis.RunAsync("MGET", "str:m3", "str:m4"), "3", "4");
        RespAssert.Error("ERR wrong number of arguments for 'mset' command", await redis.RunAsync("MSET", "str:m1", "1", "str:m2"));
    }

    [Fact]
    public async Task Append_strlen_getrange_and_setrange()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Integer(5, await redis.RunAsync("APPEND", "str:text", "Hello"));
        RespAssert.Integer(11, await redis.RunAsync("APPEND", "str:text", " World"));
        RespAssert.Integer(11, await redis.RunAsync("STRLEN", "str:text"));
        RespAssert.Integer(0, await redis.RunAsync("STRLEN", "str:text-missing"));
        RespAssert.Bulk("Hello", await redis.RunAsync("GETRANGE", "str:text", "0", "4"));
        RespAssert.Bulk("World", await redis.RunAsync("GETRANGE", "str:text", "-5", "-1"));
        RespAssert.Bulk("", await redis.RunAsync("GETRANGE", "str:text", "20", "30"));
        RespAssert.Integer(11, await redis.RunAsync("SETRANGE", "str:text", "6", "Redis"));
        RespAssert.Bulk("Hello Redis", await redis.RunAsync("GET", "str:text"));
        RespAssert.Integer(5, await redis.RunAsync("SETRANGE", "str:padded", "2", "abc"));
        RespAssert.Bulk("\0\0abc", await redis.RunAsync("GET", "str:padded"));
        RespAssert.Error("ERR offset is out of range", await redis.RunAsync("SETRANGE", "str:padded", "-1", "x"));
    }

    [Fact]
    public async Task Counters_count_and_reject_what_is_not_an_integer()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Integer(1, await redis.RunAsync("INCR", "str:counter"));
        RespAssert.Integer(11, await redis.RunAsync("INCRBY", "str:counter", "10"));
        RespAssert.Integer(10, await redis.RunAsync("DECR", "str:counter"));
        RespAssert.Integer(5, await redis.RunAsync("DECRBY", "str:counter", "5"));
        RespAssert.Bulk("5", await redis.RunAsync("GET", "str:counter"));

        RespAssert.Ok(await redis.RunAsync("SET", "str:word", "abc"));
        RespAssert.Error("ERR value is not an integer or out of range", await redis.RunAsync("INCR", "str:word"));
        RespAssert.Error("ERR value is not an integer or out of range", await redis.RunAsync("INCRBY", "str:counter", "1.5"));
        RespAssert.Ok(await redis.RunAsync("SET", "str:max", long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        RespAssert.Error("ERR increment or decrement would overflow", await redis.RunAsync("INCR", "str:max"));
        RespAssert.Bulk("abc", await redis.RunAsync("GET", "str:word"));
    }

    [Fact]
    public async Task Incrbyfloat_adds_and_formats_like_redis()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Bulk("10.5", await redis.RunAsync("INCRBYFLOAT", "str:float", "10.5"));
        RespAssert.Bulk("10.6", await redis.RunAsync("INCRBYFLOAT", "str:float", "0.1"));
        RespAssert.Bulk("5", await redis.RunAsync("INCRBYFLOAT", "str:float", "-5.6"));
        RespAssert.Error("ERR value is not a valid float", await redis.RunAsync("INCRBYFLOAT", "str:float", "abc"));
    }

    [Fact]
    public async Task Setxx_sets_only_a_key_that_exists()
    {
        await using var redis = await Server.ConnectAsync();
        var missing = await redis.RunAsync("SETXX", "str:setxx", "v");
        Assert.False(missing.IsError, missing.ToString());
        RespAssert.Integer(0, await redis.RunAsync("EXISTS", "str:setxx"));
        RespAssert.Ok(await redis.RunAsync("SET", "str:setxx", "old"));
        var existing = await redis.RunAsync("SETXX", "str:setxx", "new");
        Assert.False(existing.IsError, existing.ToString());
        RespAssert.Bulk("new", await redis.RunAsync("GET", "str:setxx"));
    }

    [Fact]
    public async Task Wrong_arity_and_unknown_commands_get_redis_errors()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Error("ERR wrong number of arguments for 'get' command", await redis.RunAsync("GET"));
        RespAssert.Error("ERR wrong number of arguments for 'set' command", await redis.RunAsync("SET", "k"));
        RespAssert.Error("ERR unknown command 'nosuchcommand', with args beginning with: 'bar' 'baz' ", await redis.RunAsync("nosuchcommand", "bar", "baz"));
        RespAssert.SimpleString("PONG", await redis.RunAsync("PING"));
    }

    [Fact]
    public async Task Binary_safe_values_round_trip()
    {
        await using var redis = await Server.ConnectAsync();
        var value = "line1\r\nline2\0end \"quoted\"";
        RespAssert.Ok(await redis.RunAsync("SET", "str:binary", value));
        RespAssert.Bulk(value, await redis.RunAsync("GET", "str:binary"));
        var large = new string('x', 1 << 20);
        RespAssert.Ok(await redis.RunAsync("SET", "str:large", large));
        RespAssert.Bulk(large, await redis.RunAsync("GET", "str:large"));
    }
}
