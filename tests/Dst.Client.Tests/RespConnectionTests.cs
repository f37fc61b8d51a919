using System.Collections.Concurrent;
using System.Text;
using Dst.Protocol;
using static Dst.Client.Tests.FakeRespServer;

namespace Dst.Client.Tests;

public class RespConnectionTests
{
    /// <summary>A small key-value handler: SET, GET, ECHO, DEL, anything else is an unknown command.</summary>
    private static byte[]? KeyValue(ConcurrentDictionary<string, byte[]> store, CommandArgs args) =>
        args.GetString(0).ToUpperInvariant() switch
        {
            "SET" => Store(store, args),
            "GET" => Encode(store.TryGetValue(args.GetString(1), out var value) ? RespValue.BulkString(value) : RespValue.Null),
            "ECHO" => Encode(RespValue.BulkString(args.ToArray(1))),
            "QUIT" => null,
            _ => Encode(RespValue.SimpleError($"ERR unknown command '{args.GetString(0)}'")),
        };

    private static byte[] Store(ConcurrentDictionary<string, byte[]> store, CommandArgs args)
    {
        store[args.GetString(1)] = args.ToArray(2);
        return Encode(RespValue.SimpleString("OK"));
    }

    [Fact]
    public async Task Execute_sends_a_command_and_returns_its_reply()
    {
        var store = new ConcurrentDictionary<string, byte[]>();
        await using var server = new FakeRespServer(args => KeyValue(store, args));
        await using var connection = await server.ConnectAsync();

        var set = await connection.ExecuteAsync("SET", "greeting", "hello");
        var get = await connection.ExecuteAsync("GET", "greeting");
        var missing = await connection.ExecuteAsync("GET", "nothing");
        var unknown = await connection.ExecuteAsync("NOPE");

        Assert.Equal("OK", set.GetString());
        Assert.Equal("hello", get.GetString());
        Assert.True(missing.IsNull);
        Assert.True(unknown.IsError);
        Assert.Equal("ERR unknown command 'NOPE'", unknown.GetString());
        Assert.Equal(0, connection.PendingReplies);
    }

    [Fact]
    public async Task Binary_arguments_and_replies_are_byte_exact()
    {
        await using var server = new FakeRespServer(args => KeyValue(new(), args));
        await using var connection = await server.ConnectAsync();
        var payload = new byte[256];
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)i;
        }

        var reply = await connection.ExecuteAsync("ECHO"u8.ToArray(), payload);
        var fromMemory = await connection.ExecuteAsync(["ECHO"u8.ToArray(), payload.AsMemory(1, 10)]);

        Assert.Equal(payload, reply.Bytes.ToArray());
        Assert.Equal(payload[1..11], fromMemory.Bytes.ToArray());
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(7)]
    [InlineData(1)]
    public async Task Pipelined_replies_come_back_in_order_however_the_bytes_arrive(int serverWriteChunk)
    {
        await using var server = new FakeRespServer(args => KeyValue(new(), args), serverWriteChunk);
        await using var connection = await server.ConnectAsync();
        var count = serverWriteChunk == 1 ? 200 : 2000;

        for (var i = 0; i < count; i++)
        {
            connection.Send("ECHO", $"reply-{i}");
        }
        Assert.Equal(count, connection.PendingReplies);
        await connection.FlushAsync();
        var replies = new List<string?>();
        for (var i = 0; i < count; i++)
        {
            replies.Add((await connection.ReadReplyAsync()).GetString());
        }

        Assert.Equal(Enumerable.Range(0, count).Select(i => $"reply-{i}"), replies);
        Assert.Equal(0, connection.PendingReplies);
    }

    [Fact]
    public async Task Execute_many_pipelines_and_returns_replies_in_order()
    {
        var store = new ConcurrentDictionary<string, byte[]>();
        await using var server = new FakeRespServer(args => KeyValue(store, args));
        await using var connection = await server.ConnectAsync();

        var replies = await connection.ExecuteManyAsync([["SET", "a", "1"], ["SET", "b", "2"], ["GET", "a"], ["GET", "b"], ["GET", "c"]]);

        Assert.Equal(["OK", "OK", "1", "2", null], replies.Select(r => r.GetString()));
    }

    [Fact]
    public async Task Large_reply_split_into_small_writes_is_reassembled()
    {
        var big = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 100_000).Select(i => $"{i},")));
        var items = Enumerable.Range(0, 5000).Select(i => RespValue.FromInteger(i)).ToArray();
        await using var server = new FakeRespServer(
            args => args.GetString(0) == "BIG" ? Encode(RespValue.BulkString(big)) : Encode(RespValue.Array(items)),
            writeChunk: 1000);
        await using var connection = await server.ConnectAsync();

        var bulk = await connection.ExecuteAsync("BIG");
        var array = await connection.ExecuteAsync("ARRAY");

        Assert.Equal(big, bulk.Bytes.ToArray());
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => (long)i), array.Items.Select(i => i.Integer));
    }

    [Fact]
    public async Task Hello_3_switches_the_connection_to_resp3()
    {
        await using var server = new FakeRespServer(args => Encode(args.GetString(1) == "3"
            ? RespValue.Map(RespValue.BulkString("server"), RespValue.BulkString("dst"), RespValue.BulkString("proto"), RespValue.FromInteger(3))
            : RespValue.SimpleError("NOPROTO unsupported protocol version")));
        await using var connection = await server.ConnectAsync();

        var refused = await connection.HelloAsync(4);
        Assert.Equal(2, connection.Protocol);
        Assert.Equal("NOPROTO unsupported protocol version", refused.GetString());

        var hello = await connection.HelloAsync(3);
        Assert.Equal(3, connection.Protocol);
        Assert.Equal(RespType.Map, hello.Type);
        Assert.Equal(3, hello.Pairs().Single(p => p.Key.GetString() == "proto").Value.Integer);
    }

    [Fact]
    public async Task Pushes_are_set_aside_from_replies_and_read_separately()
    {
        var message = RespValue.Push(RespValue.BulkString("message"), RespValue.BulkString("news"), RespValue.BulkString("hello"));
        await using var server = new FakeRespServer(args => args.GetString(0) switch
        {
            "PUSH-THEN-REPLY" => [.. Encode(message), .. Encode(RespValue.SimpleString("OK"))],
            "REPLY-THEN-PUSH" => [.. Encode(RespValue.FromInteger(1)), .. Encode(message)],
            _ => Encode(RespValue.SimpleString("PONG")),
        });
        await using var connection = await server.ConnectAsync();

        var reply = await connection.ExecuteAsync("PUSH-THEN-REPLY");
        var push = await connection.ReadPushAsync();
        connection.Send("PING");
        await connection.FlushAsync();
        var secondPush = ReadPushAfterSending(connection, "REPLY-THEN-PUSH");

        Assert.Equal("OK", reply.GetString());
        Assert.Equal(RespType.Push, push.Type);
        Assert.Equal("hello", push.Items[2].GetString());
        Assert.Equal(RespType.Push, (await secondPush).Type);
        Assert.Equal("PONG", (await connection.ReadReplyAsync()).GetString());
        Assert.Equal(1, (await connection.ReadReplyAsync()).Integer);
    }

    private static async Task<RespValue> ReadPushAfterSending(RespConnection connection, string command)
    {
        await connection.SendAsync([command]);
        return await connection.ReadPushAsync();
    }

    [Fact]
    public async Task Server_closing_the_connection_surfaces_as_a_clear_exception()
    {
        await using var server = new FakeRespServer(args => KeyValue(new(), args));
        await using var connection = await server.ConnectAsync();

        var closed = await Assert.ThrowsAsync<RespConnectionException>(() => connection.ExecuteAsync("QUIT"));
        Assert.Contains("closed the connection", closed.Message);

        var after = await Assert.ThrowsAsync<RespConnectionException>(() => connection.ExecuteAsync("ECHO", "x"));
        Assert.Contains("no longer usable", after.Message);
    }

    [Fact]
    public async Task Invalid_reply_bytes_break_the_connection()
    {
        await using var server = new FakeRespServer(_ => "?what\r\n"u8.ToArray());
        await using var connection = await server.ConnectAsync();

        var invalid = await Assert.ThrowsAsync<RespConnectionException>(() => connection.ExecuteAsync("PING"));

        Assert.Contains("unknown reply type '?'", invalid.Message);
        await Assert.ThrowsAsync<RespConnectionException>(() => connection.ExecuteAsync("PING"));
    }

    [Fact]
    public async Task Cancelled_operation_throws_and_leaves_the_connection_unusable()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new FakeRespServer(_ =>
        {
            received.TrySetResult();
            return []; // never answers
        });
        await using var connection = await server.ConnectAsync();
        using var cancellation = new CancellationTokenSource();

        var pending = connection.ExecuteAsync(["HANG"], cancellation.Token);
        await received.Task;
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        var after = await Assert.ThrowsAsync<RespConnectionException>(() => connection.ExecuteAsync("PING"));
        Assert.Contains("cancelled", after.Message);
    }

    [Fact]
    public async Task Concurrent_operations_are_refused_rather_than_interleaved()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new FakeRespServer(_ =>
        {
            received.TrySetResult();
            release.Task.Wait();
            return Encode(RespValue.SimpleString("PONG"));
        });
        await using var connection = await server.ConnectAsync();

        var first = connection.ExecuteAsync("PING");
        await received.Task;
        await Assert.ThrowsAsync<InvalidOperationException>(() => connection.ExecuteAsync("PING"));
        Assert.Throws<InvalidOperationException>(() => connection.Send("PING"));
        release.SetResult();

        Assert.Equal("PONG", (await first).GetString());
    }

    [Fact]
    public async Task Reading_a_reply_with_none_pending_is_a_usage_error()
    {
        await using var server = new FakeRespServer(args => KeyValue(new(), args));
        await using var connection = await server.ConnectAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => connection.ReadReplyAsync());
        Assert.Equal("x", (await connection.ExecuteAsync("ECHO", "x")).GetString());
    }

    [Fact]
    public async Task Connecting_to_a_closed_port_fails()
    {
        int port;
        await using (var server = new FakeRespServer(_ => null))
        {
            port = server.Port;
        }

        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => RespConnection.ConnectAsync("127.0.0.1", port));
    }
}
