using Dst.Protocol;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Features;

/// <summary>SUBSCRIBE/PSUBSCRIBE/PUBLISH/PUBSUB over TCP: RESP2 arrays, RESP3 pushes, the subscribed-mode rules.</summary>
public sealed class PubSubTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Subscribers_get_messages_and_pattern_messages_as_resp2_arrays()
    {
        await using var subscriber = await Server.ConnectRawAsync();
        await using var publisher = await Server.ConnectAsync();
        await subscriber.SendAsync(RawConnection.Encode("SUBSCRIBE", "ps:news", "ps:other"));
        AssertItems(await subscriber.ReadReplyAsync(), "subscribe", "ps:news", 1);
        AssertItems(await subscriber.ReadReplyAsync(), "subscribe", "ps:other", 2);
        await subscriber.SendAsync(RawConnection.Encode("PSUBSCRIBE", "ps:n*"));
        AssertItems(await subscriber.ReadReplyAsync(), "psubscribe", "ps:n*", 3);

        RespAssert.Integer(2, await publisher.RunAsync("PUBLISH", "ps:news", "hello"));
        AssertItems(await subscriber.ReadReplyAsync(), "message", "ps:news", "hello");
        AssertItems(await subscriber.ReadReplyAsync(), "pmessage", "ps:n*", "ps:news", "hello");
        RespAssert.Integer(0, await publisher.RunAsync("PUBLISH", "ps:zz-nobody-listens", "lost"));

        Assert.Contains("ps:news", (await publisher.RunAsync("PUBSUB", "CHANNELS", "ps:*")).AsList().Select(v => v.AsString()));
        var numsub = (await publisher.RunAsync("PUBSUB", "NUMSUB", "ps:news", "ps:none")).AsList();
        Assert.Equal(["ps:news", "1", "ps:none", "0"], numsub.Select(v => v.Type == RespType.Integer ? v.Integer.ToString(System.Globalization.CultureInfo.InvariantCulture) : v.AsString()));
        RespAssert.IntegerBetween(1, long.MaxValue, await publisher.RunAsync("PUBSUB", "NUMPAT"));

        await subscriber.SendAsync(RawConnection.Encode("UNSUBSCRIBE"));
        AssertItems(await subscriber.ReadReplyAsync(), "unsubscribe", "ps:news", 2);
        AssertItems(await subscriber.ReadReplyAsync(), "unsubscribe", "ps:other", 1);
        await subscriber.SendAsync(RawConnection.Encode("PUNSUBSCRIBE", "ps:n*"));
        AssertItems(await subscriber.ReadReplyAsync(), "punsubscribe", "ps:n*", 0);
        await subscriber.SendAsync(RawConnection.Encode("GET", "ps:any"));
        RespAssert.Nil(await subscriber.ReadReplyAsync());
    }

    [Fact]
    public async Task A_resp2_subscriber_may_only_subscribe_ping_quit_or_reset()
    {
        await using var subscriber = await Server.ConnectRawAsync();
        await subscriber.SendAsync(RawConnection.Encode("SUBSCRIBE", "ps:mode"));
        await subscriber.ReadReplyAsync();
        await subscriber.SendAsync(RawConnection.Encode("GET", "k"));
        RespAssert.Error("ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context", await subscriber.ReadReplyAsync());
        await subscriber.SendAsync(RawConnection.Encode("PING"));
        AssertItems(await subscriber.ReadReplyAsync(), "pong", "");
        await subscriber.SendAsync(RawConnection.Encode("PING", "hi"));
        AssertItems(await subscriber.ReadReplyAsync(), "pong", "hi");
        await subscriber.SendAsync(RawConnection.Encode("RESET"));
        RespAssert.SimpleString("RESET", await subscriber.ReadReplyAsync());
        await subscriber.SendAsync(RawConnection.Encode("GET", "ps:after-reset"));
        RespAssert.Nil(await subscriber.ReadReplyAsync());
    }

    [Fact]
    public async Task Resp3_subscribers_get_pushes_and_may_run_any_command()
    {
        await using var subscriber = await Server.ConnectRawAsync();
        await using var publisher = await Server.ConnectAsync();
        await subscriber.SendAsync(RawConnection.Encode("HELLO", "3"));
        await subscriber.ReadReplyAsync();
        await subscriber.SendAsync(RawConnection.Encode("SUBSCRIBE", "ps:r3"));
        var confirmation = await subscriber.ReadReplyAsync();
        Assert.Equal(RespType.Push, confirmation.Type);
        AssertItems(confirmation, "subscribe", "ps:r3", 1);
        await subscriber.SendAsync(RawConnection.Encode("SET", "ps:r3-key", "v"));
        RespAssert.Ok(await subscriber.ReadReplyAsync());
        RespAssert.Integer(1, await publisher.RunAsync("PUBLISH", "ps:r3", "pushed"));
        var message = await subscriber.ReadReplyAsync();
        Assert.Equal(RespType.Push, message.Type);
        AssertItems(message, "message", "ps:r3", "pushed");
    }

    [Fact]
    public async Task A_subscriber_that_stops_reading_is_disconnected_and_publishers_carry_on()
    {
        await using var slow = await Server.ConnectRawAsync();
        await slow.SendAsync(RawConnection.Encode("SUBSCRIBE", "ps:flood"));
        await slow.ReadReplyAsync();
        await using var publisher = await Server.ConnectAsync();
        var message = new string('x', 64 * 1024);
        // 48 MB in total: beyond the socket buffers and the 32 MB outbox limit, so the server must drop the reader.
        for (var i = 0; i < 768; i++)
        {
            await publisher.RunAsync("PUBLISH", "ps:flood", message);
        }
        await Eventually.UntilAsync(
            async () => (await publisher.RunAsync("PUBSUB", "NUMSUB", "ps:flood")).AsList()[1].AsInteger() == 0,
            "the slow subscriber is disconnected");
        RespAssert.Integer(0, await publisher.RunAsync("PUBLISH", "ps:flood", "after"));
    }

    private static void AssertItems(RespValue reply, params object[] expected)
    {
        var items = reply.AsList();
        Assert.Equal(expected.Length, items.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            switch (expected[i])
            {
                case int number:
                    RespAssert.Integer(number, items[i]);
                    break;
                case string text:
                    Assert.Equal(text, items[i].AsString());
                    break;
            }
        }
    }
}
