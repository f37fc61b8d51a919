using System.Globalization;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Integration;

/// <summary>Per-key commands (existence, type, expiry, rename, copy) end to end over TCP.</summary>
public sealed class KeyCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Del_unlink_exists_touch_and_type_count_like_redis()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("MSET", "key:a", "1", "key:b", "2", "key:c", "3"));
        RespAssert.Integer(3, await redis.RunAsync("EXISTS", "key:a", "key:a", "key:missing", "key:b"));
        RespAssert.Integer(2, await redis.RunAsync("TOUCH", "key:a", "key:b", "key:missing"));
        RespAssert.SimpleString("string", await redis.RunAsync("TYPE", "key:a"));
        RespAssert.SimpleString("none", await redis.RunAsync("TYPE", "key:missing"));
        RespAssert.Integer(2, await redis.RunAsync("DEL", "key:a", "key:b", "key:missing"));
        RespAssert.Integer(1, await redis.RunAsync("UNLINK", "key:c", "key:a"));
        RespAssert.Integer(0, await redis.RunAsync("EXISTS", "key:a", "key:b", "key:c"));
    }

    [Fact]
    public async Task Expire_family_sets_reads_and_clears_ttls()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("SET", "key:ttl", "v"));
        RespAssert.Integer(-1, await redis.RunAsync("TTL", "key:ttl"));
        RespAssert.Integer(-2, await redis.RunAsync("TTL", "key:ttl-missing"));
        RespAssert.Integer(-2, await redis.RunAsync("PTTL", "key:ttl-missing"));
        RespAssert.Integer(0, await redis.RunAsync("EXPIRE", "key:ttl-missing", "100"));

        RespAssert.Integer(1, await redis.RunAsync("EXPIRE", "key:ttl", "100"));
        RespAssert.IntegerBetween(1, 100, await redis.RunAsync("TTL", "key:ttl"));
        RespAssert.Integer(1, await redis.RunAsync("PEXPIRE", "key:ttl", "200000"));
        RespAssert.IntegerBetween(100_001, 200_000, await redis.RunAsync("PTTL", "key:ttl"));
        RespAssert.Integer(1, await redis.RunAsync("PERSIST", "key:ttl"));
        RespAssert.Integer(0, await redis.RunAsync("PERSIST", "key:ttl"));
        RespAssert.Integer(-1, await redis.RunAsync("EXPIRETIME", "key:ttl"));

        var at = DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeSeconds();
        RespAssert.Integer(1, await redis.RunAsync("EXPIREAT", "key:ttl", at.ToString(CultureInfo.InvariantCulture)));
        RespAssert.Integer(at, await redis.RunAsync("EXPIRETIME", "key:ttl"));
        RespAssert.Integer(at * 1000, await redis.RunAsync("PEXPIRETIME", "key:ttl"));
        RespAssert.Integer(1, await redis.RunAsync("PEXPIREAT", "key:ttl", ((at + 1) * 1000).ToString(CultureInfo.InvariantCulture)));
        RespAssert.Integer(at + 1, await redis.RunAsync("EXPIRETIME", "key:ttl"));

        RespAssert.Error("ERR value is not an integer or out of range", await redis.RunAsync("EXPIRE", "key:ttl", "soon"));
        RespAssert.Integer(1, await redis.RunAsync("EXPIRE", "key:ttl", "-1"));
        RespAssert.Integer(0, await redis.RunAsync("EXISTS", "key:ttl"));
    }

    [Fact]
    public async Task Expire_conditions_NX_XX_GT_LT_follow_redis_rules()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("SET", "key:cond", "v"));
        RespAssert.Integer(0, await redis.RunAsync("EXPIRE", "key:cond", "100", "XX"));
        RespAssert.Integer(0, await redis.RunAsync("EXPIRE", "key:cond", "100", "GT"));
        RespAssert.Integer(1, await redis.RunAsync("EXPIRE", "key:cond", "100", "LT"));
        RespAssert.Integer(0, await redis.RunAsync("EXPIRE", "key:cond", "50", "GT"));
        RespAssert.Integer(1, await redis.RunAsync("EXPIRE", "key:cond", "500", "GT"));
        RespAssert.Integer(0, await redis.RunAsync("EXPIRE", "key:cond", "1000", "NX"));
        RespAssert.Integer(1, await redis.RunAsync("EXPIRE", "key:cond", "1000", "XX"));
        RespAssert.IntegerBetween(501, 1000, await redis.RunAsync("TTL", "key:cond"));
        RespAssert.ErrorStartsWith("ERR", await redis.RunAsync("EXPIRE", "key:cond", "100", "NX", "XX"));
    }

    [Fact]
    public async Task Rename_and_renamenx_move_values_and_ttls()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Error("ERR no such key", await redis.RunAsync("RENAME", "key:ren-missing", "key:ren-any"));
        RespAssert.Ok(await redis.RunAsync("SET", "key:ren-src", "v", "EX", "100"));
        RespAssert.Ok(await redis.RunAsync("RENAME", "key:ren-src", "key:ren-dst"));
        RespAssert.Nil(await redis.RunAsync("GET", "key:ren-src"));
        RespAssert.Bulk("v", await redis.RunAsync("GET", "key:ren-dst"));
        RespAssert.IntegerBetween(1, 100, await redis.RunAsync("TTL", "key:ren-dst"));
        RespAssert.Ok(await redis.RunAsync("SET", "key:ren-other", "o"));
        RespAssert.Integer(0, await redis.RunAsync("RENAMENX", "key:ren-dst", "key:ren-other"));
        RespAssert.Integer(1, await redis.RunAsync("RENAMENX", "key:ren-dst", "key:ren-fresh"));
        RespAssert.Bulk("v", await redis.RunAsync("GET", "key:ren-fresh"));
        RespAssert.Bulk("o", await redis.RunAsync("GET", "key:ren-other"));
    }

    [Fact]
    public async Task Copy_refuses_an_existing_target_unless_replace()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("SET", "key:copy-src", "one"));
        RespAssert.Integer(1, await redis.RunAsync("COPY", "key:copy-src", "key:copy-dst"));
        RespAssert.Integer(0, await redis.RunAsync("COPY", "key:copy-src", "key:copy-dst"));
        RespAssert.Ok(await redis.RunAsync("SET", "key:copy-src", "two"));
        RespAssert.Integer(1, await redis.RunAsync("COPY", "key:copy-src", "key:copy-dst", "REPLACE"));
        RespAssert.Bulk("two", await redis.RunAsync("GET", "key:copy-dst"));
        RespAssert.Integer(0, await redis.RunAsync("COPY", "key:copy-missing", "key:copy-dst"));
    }

    [Fact]
    public async Task Select_zero_is_accepted_and_other_databases_are_refused()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("SELECT", "0"));
        RespAssert.ErrorStartsWith("ERR", await redis.RunAsync("SELECT", "1"));
        RespAssert.SimpleString("PONG", await redis.RunAsync("PING"));
    }
}
