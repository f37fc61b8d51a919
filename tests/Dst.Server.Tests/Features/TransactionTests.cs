using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Features;

/// <summary>MULTI/EXEC/DISCARD/WATCH/UNWATCH over TCP against a real dst-server, replies as Redis words them.</summary>
public sealed class TransactionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Queued_commands_run_at_exec_and_reply_as_one_array()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("MULTI"));
        RespAssert.SimpleString("QUEUED", await redis.RunAsync("SET", "tx:a", "1"));
        RespAssert.SimpleString("QUEUED", await redis.RunAsync("INCR", "tx:a"));
        RespAssert.SimpleString("QUEUED", await redis.RunAsync("str.get", "tx:a"));
        var reply = (await redis.RunAsync("EXEC")).AsList();
        RespAssert.Ok(reply[0]);
        RespAssert.Integer(2, reply[1]);
        RespAssert.Bulk("2", reply[2]);
    }

    [Fact]
    public async Task Runtime_errors_are_per_command_and_the_rest_applies()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("SET", "tx:text", "abc"));
        RespAssert.Ok(await redis.RunAsync("MULTI"));
        await redis.RunAsync("INCR", "tx:text");
        await redis.RunAsync("SET", "tx:after", "yes");
        var reply = (await redis.RunAsync("EXEC")).AsList();
        RespAssert.Error("ERR value is not an integer or out of range", reply[0]);
        RespAssert.Ok(reply[1]);
        RespAssert.Bulk("yes", await redis.RunAsync("GET", "tx:after"));
    }

    [Fact]
    public async Task Queue_time_errors_abort_the_whole_transaction()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("MULTI"));
        await redis.RunAsync("SET", "tx:never", "1");
        RespAssert.ErrorStartsWith("ERR unknown command 'NOSUCH'", await redis.RunAsync("NOSUCH", "x"));
        RespAssert.Error("ERR wrong number of arguments for 'get' command", await redis.RunAsync("GET"));
        RespAssert.Error("EXECABORT Transaction discarded because of previous errors.", await redis.RunAsync("EXEC"));
        RespAssert.Nil(await redis.RunAsync("GET", "tx:never"));
        RespAssert.Ok(await redis.RunAsync("MULTI"));
        RespAssert.Error("ERR Command not allowed inside a transaction", await redis.RunAsync("SAVE"));
        RespAssert.Error("EXECABORT Transaction discarded because of previous errors.", await redis.RunAsync("EXEC"));
        RespAssert.Ok(await redis.RunAsync("MULTI"));
        RespAssert.Error("ERR Command not allowed inside a transaction", await redis.RunAsync("SUBSCRIBE", "tx:c1", "tx:c2"));
        RespAssert.Error("EXECABORT Transaction discarded because of previous errors.", await redis.RunAsync("EXEC"));
    }

    [Fact]
    public async Task Exec_with_arguments_discards_the_transaction_as_redis_does()
    {
        const string Abort = "EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command";
        await using var redis = await Server.ConnectAsync();
        RespAssert.Error(Abort, await redis.RunAsync("EXEC", "x")); // outside MULTI too
        RespAssert.Ok(await redis.RunAsync("MULTI"));
        RespAssert.SimpleString("QUEUED", await redis.RunAsync("SET", "tx:exec-args", "1"));
        RespAssert.Error(Abort, await redis.RunAsync("EXEC", "x"));
        RespAssert.Nil(await redis.RunAsync("GET", "tx:exec-args")); // runs at once: the transaction is gone
        RespAssert.Error("ERR EXEC without MULTI", await redis.RunAsync("EXEC"));
    }

    [Fact]
    public async Task Server_answered_commands_queue_and_reply_in_their_place_in_exec()
    {
        await using var subscriber = await Server.ConnectRawAsync();
        await subscriber.SendAsync(RawConnection.Encode("SUBSCRIBE", "tx:news"));
        Assert.Equal("subscribe", (await subscriber.ReadReplyAsync()).AsList()[0].AsString());
        await using var redis = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("MULTI"));
        foreach (var command in new[] { ["SET", "tx:s", "1"], ["PING"], ["ECHO", "hi"], ["INCR", "tx:s"], ["TIME"], ["PUBLISH", "tx:news", "m1"], ["RPUSH", "tx:l", "a", "b"], ["LRANGE", "tx:l", "0", "-1"], ["PING", "last"], new[] { "GET", "tx:s" } })
        {
            RespAssert.SimpleString("QUEUED", await redis.RunAsync(command));
        }
        var reply = (await redis.RunAsync("EXEC")).AsList();
        Assert.Equal(10, reply.Count);
        RespAssert.Ok(reply[0]);
        RespAssert.SimpleString("PONG", reply[1]);
        RespAssert.Bulk("hi", reply[2]);
        RespAssert.Integer(2, reply[3]);
        Assert.Equal(2, reply[4].AsList().Count);
        RespAssert.Integer(1, reply[5]);
        RespAssert.Integer(2, reply[6]);
        RespAssert.Array(reply[7], "a", "b");
        RespAssert.Bulk("last", reply[8]);
        RespAssert.Bulk("2", reply[9]);
        Assert.Equal(["message", "tx:news", "m1"], (await subscriber.ReadReplyAsync()).AsList().Select(v => v.AsString()));

        RespAssert.Ok(await redis.RunAsync("MULTI"));
        RespAssert.SimpleString("QUEUED", await redis.RunAsync("PING"));
        RespAssert.SimpleString("QUEUED", await redis.RunAsync("ECHO", "only"));
        var serverOnly = (await redis.RunAsync("EXEC")).AsList();
        RespAssert.SimpleString("PONG", serverOnly[0]);
        RespAssert.Bulk("only", serverOnly[1]);
    }

    [Fact]
    public async Task A_watch_abort_runs_none_of_the_server_commands()
    {
        await using var subscriber = await Server.ConnectRawAsync();
        await subscriber.SendAsync(RawConnection.Encode("SUBSCRIBE", "tx:aborted"));
        Assert.Equal("subscribe", (await subscriber.ReadReplyAsync()).AsList()[0].AsString());
        await using var redis = await Server.ConnectAsync();
        await using var other = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("WATCH", "tx:wp"));
        RespAssert.Ok(await other.RunAsync("SET", "tx:wp", "changed"));
        RespAssert.Ok(await redis.RunAsync("MULTI"));
        RespAssert.SimpleString("QUEUED", await redis.RunAsync("PUBLISH", "tx:aborted", "never"));
        RespAssert.SimpleString("QUEUED", await redis.RunAsync("PING"));
        RespAssert.Nil(await redis.RunAsync("EXEC"));
        // The next message the subscriber sees is this one: the queued PUBLISH never ran.
        RespAssert.Integer(1, await other.RunAsync("PUBLISH", "tx:aborted", "after"));
        Assert.Equal(["message", "tx:aborted", "after"], (await subscriber.ReadReplyAsync()).AsList().Select(v => v.AsString()));
    }

    [Fact]
    public async Task Server_command_replies_fit_between_resp3_maps_and_doubles()
    {
        await using var resp3 = await Server.ConnectAsync();
        await resp3.HelloAsync(3);
        RespAssert.Ok(await resp3.RunAsync("MULTI"));
        foreach (var command in new[] { ["HSET", "tx:h3", "f", "v"], ["HGETALL", "tx:h3"], ["PING"], ["ZADD", "tx:z3", "1.5", "m"], ["ZSCORE", "tx:z3", "m"], ["COMMAND", "COUNT"], new[] { "HGETALL", "tx:h3" } })
        {
            RespAssert.SimpleString("QUEUED", await resp3.RunAsync(command));
        }
        var reply = (await resp3.RunAsync("EXEC")).AsList();
        Assert.Equal(7, reply.Count);
        Assert.Equal("v", reply[1].AsMap()["f"].AsString());
        RespAssert.SimpleString("PONG", reply[2]);
        Assert.Equal(1.5, reply[4].Double);
        RespAssert.IntegerBetween(100, 1000, reply[5]);
        Assert.Equal("v", reply[6].AsMap()["f"].AsString());
    }

    [Fact]
    public async Task Misplaced_transaction_commands_are_refused_with_redis_wording()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Error("ERR EXEC without MULTI", await redis.RunAsync("EXEC"));
        RespAssert.Error("ERR DISCARD without MULTI", await redis.RunAsync("DISCARD"));
        RespAssert.Ok(await redis.RunAsync("MULTI"));
        RespAssert.Error("ERR MULTI calls can not be nested", await redis.RunAsync("MULTI"));
        RespAssert.Error("ERR WATCH inside MULTI is not allowed", await redis.RunAsync("WATCH", "tx:w"));
        await redis.RunAsync("SET", "tx:discarded", "1");
        RespAssert.Ok(await redis.RunAsync("DISCARD"));
        RespAssert.Nil(await redis.RunAsync("GET", "tx:discarded"));
        RespAssert.Error("ERR wrong number of arguments for 'watch' command", await redis.RunAsync("WATCH"));
    }

    [Fact]
    public async Task A_write_by_another_client_after_watch_makes_exec_reply_null()
    {
        await using var redis = await Server.ConnectAsync();
        await using var other = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("SET", "tx:balance", "10"));
        RespAssert.Ok(await redis.RunAsync("WATCH", "tx:balance"));
        RespAssert.Ok(await other.RunAsync("SET", "tx:balance", "20"));
        RespAssert.Ok(await redis.RunAsync("MULTI"));
        await redis.RunAsync("INCRBY", "tx:balance", "5");
        RespAssert.Nil(await redis.RunAsync("EXEC"));
        RespAssert.Bulk("20", await redis.RunAsync("GET", "tx:balance"));

        // EXEC forgets the watches: the retry goes through.
        RespAssert.Ok(await redis.RunAsync("WATCH", "tx:balance"));
        RespAssert.Ok(await redis.RunAsync("MULTI"));
        await redis.RunAsync("INCRBY", "tx:balance", "5");
        RespAssert.Integer(25, (await redis.RunAsync("EXEC")).AsList()[0]);
    }

    [Fact]
    public async Task Unwatch_and_untouched_keys_let_exec_run()
    {
        await using var redis = await Server.ConnectAsync();
        await using var other = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("WATCH", "tx:u1"));
        RespAssert.Ok(await other.RunAsync("SET", "tx:u1", "changed"));
        RespAssert.Ok(await redis.RunAsync("UNWATCH"));
        RespAssert.Ok(await redis.RunAsync("WATCH", "tx:u2"));
        RespAssert.Ok(await redis.RunAsync("MULTI"));
        await redis.RunAsync("SET", "tx:u2", "mine");
        RespAssert.Ok((await redis.RunAsync("EXEC")).AsList()[0]);
    }

    [Fact]
    public async Task An_empty_transaction_replies_an_empty_array_and_resp3_aborts_reply_null()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("MULTI"));
        Assert.Empty((await redis.RunAsync("EXEC")).AsList());

        await using var resp3 = await Server.ConnectAsync();
        await resp3.HelloAsync(3);
        await using var other = await Server.ConnectAsync();
        RespAssert.Ok(await resp3.RunAsync("WATCH", "tx:r3"));
        RespAssert.Ok(await other.RunAsync("SET", "tx:r3", "x"));
        RespAssert.Ok(await resp3.RunAsync("MULTI"));
        await resp3.RunAsync("GET", "tx:r3");
        RespAssert.Nil(await resp3.RunAsync("EXEC"));
    }
}
