using System.Globalization;
using System.Text;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Integration;

/// <summary>Many commands in one write: every reply comes back, in order, seeing earlier writes.</summary>
public sealed class PipeliningTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task A_thousand_commands_in_one_write_get_a_thousand_replies_in_order()
    {
        await using var redis = await Server.ConnectAsync();
        for (var i = 0; i < 1000; i++)
        {
            redis.Send((i % 3) switch
            {
                0 => ["SET", $"pipe:{i}", $"value:{i}"],
                1 => ["GET", $"pipe:{i - 1}"],
                _ => ["INCR", "pipe:counter"],
            });
        }
        await redis.FlushWithinDeadlineAsync(); // the client buffered all 1000 and writes them at once

        var increments = 0;
        for (var i = 0; i < 1000; i++)
        {
            var reply = await redis.NextReplyAsync();
            switch (i % 3)
            {
                case 0:
                    RespAssert.Ok(reply);
                    break;
                case 1:
                    RespAssert.Bulk($"value:{i - 1}", reply);
                    break;
                default:
                    RespAssert.Integer(++increments, reply);
                    break;
            }
        }
        RespAssert.Bulk(increments.ToString(CultureInfo.InvariantCulture), await redis.RunAsync("GET", "pipe:counter"));
    }

    [Fact]
    public async Task Pipelined_writes_share_log_entries_and_each_still_gets_its_own_reply()
    {
        await using var redis = await Server.ConnectAsync();
        var lastIndexBefore = await PersistenceInfo.LogLastIndexAsync(redis);
        for (var i = 0; i < 500; i++)
        {
            redis.Send((i % 4) switch
            {
                0 => ["SET", $"batch:{i}", $"value:{i}"],
                1 => ["INCR", "batch:counter"],
                2 => ["LPUSH", $"batch:{i - 2}", "x"], // a string: WRONGTYPE, answered in its place
                _ => ["RPUSH", "batch:list", $"{i}"],
            });
        }
        await redis.FlushWithinDeadlineAsync();

        for (var i = 0; i < 500; i++)
        {
            var reply = await redis.NextReplyAsync();
            switch (i % 4)
            {
                case 0:
                    RespAssert.Ok(reply);
                    break;
                case 1:
                    RespAssert.Integer((i / 4) + 1, reply);
                    break;
                case 2:
                    RespAssert.ErrorStartsWith("WRONGTYPE", reply);
                    break;
                default:
                    RespAssert.Integer((i / 4) + 1, reply);
                    break;
            }
        }
        RespAssert.Bulk("value:496", await redis.RunAsync("GET", "batch:496"));
        RespAssert.Integer(125, await redis.RunAsync("LLEN", "batch:list"));
        // 500 writes took far fewer entries: a pipelined batch shares one (up to 16 KiB of commands).
        var entries = await PersistenceInfo.LogLastIndexAsync(redis) - lastIndexBefore;
        Assert.InRange(entries, 1, 250);
    }

    [Fact]
    public async Task Frames_split_at_every_byte_are_reassembled()
    {
        await using var redis = await Server.ConnectRawAsync();
        var frames = RawConnection.Encode("SET", "pipe:split", "abc").Concat(RawConnection.Encode("GET", "pipe:split")).ToArray();
        foreach (var b in frames)
        {
            await redis.SendAsync(new[] { b });
        }
        RespAssert.Ok(await redis.ReadReplyAsync());
        RespAssert.Bulk("abc", await redis.ReadReplyAsync());
    }

    [Fact]
    public async Task Inline_and_multibulk_commands_mix_in_one_pipeline()
    {
        await using var redis = await Server.ConnectRawAsync();
        var mixed = new StringBuilder()
            .Append("PING\r\n")
            .Append("SET pipe:inline \"hello world\"\r\n")
            .Append(Encoding.UTF8.GetString(RawConnection.Encode("GET", "pipe:inline")))
            .Append("\r\n")
            .Append("ECHO 'single quoted'\n")
            .ToString();
        await redis.SendAsync(mixed);
        RespAssert.SimpleString("PONG", await redis.ReadReplyAsync());
        RespAssert.Ok(await redis.ReadReplyAsync());
        RespAssert.Bulk("hello world", await redis.ReadReplyAsync());
        RespAssert.Bulk("single quoted", await redis.ReadReplyAsync());
    }
}
