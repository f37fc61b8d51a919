using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Integration;

/// <summary>
/// Writes that find none of their keys change nothing (SPOP, LPOP, DEL, EXPIRE, ...): they are answered
/// without a log entry, yet still in order with the connection's own writes.
/// </summary>
public sealed class UnchangedWriteTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Writes_on_missing_keys_add_nothing_to_the_log()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("SET", "unchanged:present", "v"));
        var lastIndex = await PersistenceInfo.LogLastIndexAsync(redis);
        for (var i = 0; i < 50; i++)
        {
            RespAssert.Nil(await redis.RunAsync("SPOP", "unchanged:set"));
            RespAssert.Nil(await redis.RunAsync("LPOP", "unchanged:list"));
            RespAssert.Array(await redis.RunAsync("ZPOPMIN", "unchanged:zset"));
            RespAssert.Integer(0, await redis.RunAsync("DEL", "unchanged:a", "unchanged:b"));
            RespAssert.Integer(0, await redis.RunAsync("EXPIRE", "unchanged:a", "10"));
            RespAssert.Error("ERR no such key", await redis.RunAsync("RENAME", "unchanged:a", "unchanged:b"));
        }
        Assert.Equal(lastIndex, await PersistenceInfo.LogLastIndexAsync(redis));

        // One present key sends the write through the log.
        RespAssert.Integer(1, await redis.RunAsync("DEL", "unchanged:a", "unchanged:present"));
        Assert.Equal(lastIndex + 1, await PersistenceInfo.LogLastIndexAsync(redis));
    }

    [Fact]
    public async Task A_watched_key_that_a_no_op_pop_missed_still_lets_exec_run()
    {
        // As in Redis, a write that changed nothing does not touch the WATCHed key.
        await using var redis = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("WATCH", "unchanged:watched"));
        RespAssert.Nil(await redis.RunAsync("LPOP", "unchanged:watched"));
        RespAssert.Ok(await redis.RunAsync("MULTI"));
        RespAssert.SimpleString("QUEUED", await redis.RunAsync("SET", "unchanged:after-watch", "v"));
        var exec = await redis.RunAsync("EXEC");
        RespAssert.Ok(Assert.Single(exec.Items));
    }

    [Fact]
    public async Task A_pop_pipelined_after_a_push_sees_the_push()
    {
        await using var redis = await Server.ConnectAsync();
        for (var i = 0; i < 100; i++)
        {
            redis.Send("SADD", "unchanged:pipelined", $"m{i}");
            redis.Send("SPOP", "unchanged:pipelined");
            redis.Send("SPOP", "unchanged:pipelined");
        }
        await redis.FlushWithinDeadlineAsync();
        for (var i = 0; i < 100; i++)
        {
            RespAssert.Integer(1, await redis.NextReplyAsync());
            RespAssert.Bulk($"m{i}", await redis.NextReplyAsync());
            RespAssert.Nil(await redis.NextReplyAsync());
        }
    }

    [Fact]
    public async Task Another_clients_push_is_seen_by_the_next_pop()
    {
        await using var pusher = await Server.ConnectAsync();
        await using var popper = await Server.ConnectAsync();
        for (var i = 0; i < 50; i++)
        {
            RespAssert.Integer(1, await pusher.RunAsync("RPUSH", "unchanged:shared", $"v{i}"));
            RespAssert.Bulk($"v{i}", await popper.RunAsync("LPOP", "unchanged:shared"));
            RespAssert.Nil(await popper.RunAsync("LPOP", "unchanged:shared"));
        }
    }
}
