using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Features;

/// <summary>Blocking pops over TCP: parked without polling, woken by another client's write, timeouts, FIFO, MULTI.</summary>
public sealed class BlockingTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Blpop_is_woken_by_a_push_from_another_client()
    {
        await using var waiter = await Server.ConnectAsync();
        await using var pusher = await Server.ConnectAsync();
        var popped = waiter.RunAsync("BLPOP", "bl:q1", "bl:q2", "0");
        await WaitUntilBlockedAsync(pusher, 1);
        RespAssert.Integer(1, await pusher.RunAsync("RPUSH", "bl:q2", "job"));
        RespAssert.Array(await popped, "bl:q2", "job");
        RespAssert.Integer(0, await pusher.RunAsync("EXISTS", "bl:q2"));
    }

    [Fact]
    public async Task Waiters_are_served_first_come_first_served()
    {
        await using var first = await Server.ConnectAsync();
        await using var second = await Server.ConnectAsync();
        await using var pusher = await Server.ConnectAsync();
        var firstPop = first.RunAsync("BRPOP", "bl:fifo", "0");
        await WaitUntilBlockedAsync(pusher, 1);
        var secondPop = second.RunAsync("BRPOP", "bl:fifo", "0");
        await WaitUntilBlockedAsync(pusher, 2);
        RespAssert.Integer(1, await pusher.RunAsync("LPUSH", "bl:fifo", "a"));
        RespAssert.Array(await firstPop, "bl:fifo", "a");
        RespAssert.Integer(1, await pusher.RunAsync("LPUSH", "bl:fifo", "b"));
        RespAssert.Array(await secondPop, "bl:fifo", "b");
    }

    [Fact]
    public async Task Blmove_and_bzpopmin_wake_on_their_source()
    {
        await using var waiter = await Server.ConnectAsync();
        await using var writer = await Server.ConnectAsync();
        var moved = waiter.RunAsync("BLMOVE", "bl:src", "bl:dst", "LEFT", "RIGHT", "0");
        await WaitUntilBlockedAsync(writer, 1);
        await writer.RunAsync("RPUSH", "bl:src", "m");
        RespAssert.Bulk("m", await moved);
        RespAssert.Array(await writer.RunAsync("LRANGE", "bl:dst", "0", "-1"), "m");

        var zpopped = waiter.RunAsync("BZPOPMIN", "bl:z", "0");
        await WaitUntilBlockedAsync(writer, 1);
        await writer.RunAsync("ZADD", "bl:z", "1.5", "member");
        var reply = (await zpopped).AsList();
        Assert.Equal(["bl:z", "member", "1.5"], reply.Select(v => v.AsString()));
    }

    [Fact]
    public async Task A_timeout_replies_null_and_bad_timeouts_are_errors()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Nil(await redis.RunAsync("BLPOP", "bl:never", "0.05"));
        RespAssert.Error("ERR timeout is not a float or out of range", await redis.RunAsync("BLPOP", "bl:never", "soon"));
        RespAssert.Error("ERR timeout is negative", await redis.RunAsync("BLPOP", "bl:never", "-1"));
        RespAssert.Ok(await redis.RunAsync("SET", "bl:string", "x"));
        RespAssert.Error("WRONGTYPE Operation against a key holding the wrong kind of value", await redis.RunAsync("BLPOP", "bl:string", "0"));
    }

    [Fact]
    public async Task Inside_multi_a_blocking_pop_does_not_block()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("MULTI"));
        RespAssert.SimpleString("QUEUED", await redis.RunAsync("BLPOP", "bl:multi-empty", "0"));
        var reply = (await redis.RunAsync("EXEC")).AsList();
        RespAssert.Nil(reply[0]);
    }

    [Fact]
    public async Task A_waiter_that_disconnects_takes_nothing()
    {
        await using var pusher = await Server.ConnectAsync();
        var gone = await Server.ConnectAsync();
        var abandoned = gone.RunAsync("BLPOP", "bl:left", "0");
        await WaitUntilBlockedAsync(pusher, 1);
        await gone.DisposeAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => abandoned);
        await WaitUntilBlockedAsync(pusher, 0);
        RespAssert.Integer(1, await pusher.RunAsync("RPUSH", "bl:left", "kept"));
        RespAssert.Array(await pusher.RunAsync("LRANGE", "bl:left", "0", "-1"), "kept");
    }

    [Fact]
    public async Task Client_unblock_ends_a_wait_as_its_timeout_would_or_with_an_error()
    {
        await using var waiter = await Server.ConnectAsync();
        await using var admin = await Server.ConnectAsync();
        var id = (await waiter.RunAsync("CLIENT", "ID")).Integer.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var popped = waiter.RunAsync("BLPOP", "bl:unblock", "0");
        await WaitUntilBlockedAsync(admin, 1);
        RespAssert.Integer(1, await admin.RunAsync("CLIENT", "UNBLOCK", id));
        RespAssert.Nil(await popped);
        await WaitUntilBlockedAsync(admin, 0);
        RespAssert.Integer(0, await admin.RunAsync("CLIENT", "UNBLOCK", id));

        var multiPopped = waiter.RunAsync("BLMPOP", "0", "2", "bl:u1", "bl:u2", "LEFT");
        await WaitUntilBlockedAsync(admin, 1);
        RespAssert.Integer(1, await admin.RunAsync("CLIENT", "UNBLOCK", id, "error"));
        RespAssert.Error("UNBLOCKED client unblocked via CLIENT UNBLOCK", await multiPopped);
        await WaitUntilBlockedAsync(admin, 0);
        // The unblocked client is gone from the keys' queues: a later push stays in the list.
        RespAssert.Integer(1, await admin.RunAsync("RPUSH", "bl:u2", "kept"));
        RespAssert.Array(await admin.RunAsync("LRANGE", "bl:u2", "0", "-1"), "kept");
        RespAssert.SimpleString("PONG", await waiter.RunAsync("PING"));

        var zpopped = waiter.RunAsync("BZPOPMIN", "bl:uz", "0");
        await WaitUntilBlockedAsync(admin, 1);
        RespAssert.Integer(1, await admin.RunAsync("CLIENT", "UNBLOCK", id, "TIMEOUT"));
        RespAssert.Nil(await zpopped);
    }

    [Fact]
    public async Task Client_unblock_checks_its_arguments_as_redis_does()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Integer(0, await redis.RunAsync("CLIENT", "UNBLOCK", "999999"));
        RespAssert.Integer(0, await redis.RunAsync("CLIENT", "UNBLOCK", "-5", "error"));
        RespAssert.Error("ERR value is not an integer or out of range", await redis.RunAsync("CLIENT", "UNBLOCK", "x"));
        RespAssert.Error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR", await redis.RunAsync("CLIENT", "UNBLOCK", "x", "foo"));
        RespAssert.Error("ERR wrong number of arguments for 'client|unblock' command", await redis.RunAsync("CLIENT", "UNBLOCK"));
        RespAssert.Error("ERR unknown subcommand or wrong number of arguments for 'unblock'. Try CLIENT HELP.", await redis.RunAsync("CLIENT", "UNBLOCK", "1", "timeout", "x"));
    }

    /// <summary>INFO clients reports blocked_clients; waiting on it is waiting on a condition, not a sleep.</summary>
    private static Task WaitUntilBlockedAsync(Dst.Client.RespConnection observer, int count) =>
        Eventually.UntilAsync(
            async () => (await observer.RunAsync("INFO", "clients")).AsString().Contains($"blocked_clients:{count}\r\n", StringComparison.Ordinal),
            $"{count} client(s) blocked");
}
