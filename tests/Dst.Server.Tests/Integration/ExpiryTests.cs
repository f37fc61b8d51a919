using Dst.Protocol;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Integration;

/// <summary>Keys disappear when their time comes: on read (lazy) and without any reader (active).</summary>
public sealed class ExpiryTests
{
    [Fact]
    public async Task A_key_set_with_a_ttl_disappears_once_it_is_due()
    {
        await using var server = await ServerProcess.StartAsync();
        await using var redis = await server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("SET", "expiry:short", "v", "PX", "300"));
        RespAssert.Ok(await redis.RunAsync("SET", "expiry:long", "v", "EX", "3600"));
        await Eventually.UntilAsync(
            async () => (await redis.RunAsync("GET", "expiry:short")).Type == RespType.Null,
            "expiry:short to expire");
        RespAssert.Integer(-2, await redis.RunAsync("TTL", "expiry:short"));
        RespAssert.Integer(0, await redis.RunAsync("EXISTS", "expiry:short"));
        RespAssert.Bulk("v", await redis.RunAsync("GET", "expiry:long"));
    }

    [Fact]
    public async Task Active_expiry_deletes_keys_nobody_reads()
    {
        await using var server = await ServerProcess.StartAsync();
        await using var redis = await server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("SET", "expiry:kept", "v"));
        for (var i = 0; i < 200; i++)
        {
            RespAssert.Ok(await redis.RunAsync("SET", $"expiry:unread:{i}", "v", "PX", (200 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        // DBSIZE counts keys that are due but not yet deleted, so it only drops when the server
        // deletes them by itself: nothing here reads an expiring key.
        await Eventually.UntilAsync(
            async () => (await redis.RunAsync("DBSIZE")).AsInteger() == 1,
            "DBSIZE to drop to 1 as active expiry deletes 200 unread keys");
        var info = (await redis.RunAsync("INFO", "stats")).AsString();
        Assert.Contains("expired_keys:200", info, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ttl_survives_a_restart_and_a_key_due_during_downtime_is_gone_after_it()
    {
        await using var server = await ServerProcess.StartAsync();
        await using (var redis = await server.ConnectAsync())
        {
            RespAssert.Ok(await redis.RunAsync("SET", "expiry:hour", "v", "EX", "3600"));
            RespAssert.Ok(await redis.RunAsync("SET", "expiry:soon", "v", "PX", "200"));
        }
        var deadline = DateTimeOffset.UtcNow.AddMilliseconds(200);
        await server.KillAsync();
        await server.RestartAsync();
        await using var after = await server.ConnectAsync();
        RespAssert.IntegerBetween(1, 3600, await after.RunAsync("TTL", "expiry:hour"));
        await Eventually.UntilAsync(() => Task.FromResult(DateTimeOffset.UtcNow > deadline.AddMilliseconds(50)), "the short TTL to pass");
        RespAssert.Nil(await after.RunAsync("GET", "expiry:soon"));
    }
}
