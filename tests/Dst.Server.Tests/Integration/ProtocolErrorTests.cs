using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Integration;

/// <summary>
/// Malformed requests earn Redis's exact protocol error and the connection is closed after it;
/// size limits are checked on the header, before anything is allocated for the body.
/// </summary>
public sealed class ProtocolErrorTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Theory]
    [InlineData("*abc\r\n", "invalid multibulk length")]
    [InlineData("*3000000000\r\n", "invalid multibulk length")]
    [InlineData("*1\r\nx3\r\n", "expected '$', got 'x'")]
    [InlineData("*1\r\n$abc\r\n", "invalid bulk length")]
    [InlineData("*1\r\n$-5\r\n", "invalid bulk length")]
    [InlineData("*1\r\n$600000000\r\n", "invalid bulk length")]
    [InlineData("SET k \"abc\r\n", "unbalanced quotes in request")]
    [InlineData("SET k 'abc\r\n", "unbalanced quotes in request")]
    public async Task Malformed_requests_get_the_protocol_error_and_the_connection_closes(string request, string message)
    {
        await using var redis = await Server.ConnectRawAsync();
        await redis.SendAsync(request);
        Assert.Equal($"-ERR Protocol error: {message}\r\n", await redis.ReadUntilClosedAsync());
        await AssertServerStillAnswersAsync();
    }

    [Fact]
    public async Task Replies_before_a_protocol_error_are_still_delivered()
    {
        await using var redis = await Server.ConnectRawAsync();
        await redis.SendAsync("PING\r\n*1\r\n$3\r\nGET\r\n*x\r\n");
        Assert.Equal("+PONG\r\n-ERR wrong number of arguments for 'get' command\r\n-ERR Protocol error: invalid multibulk length\r\n", await redis.ReadUntilClosedAsync());
    }

    [Fact]
    public async Task An_inline_request_longer_than_the_limit_is_refused()
    {
        await using var redis = await Server.ConnectRawAsync();
        await redis.SendAsync(new string('a', 100 * 1024));
        Assert.Equal("-ERR Protocol error: too big inline request\r\n", await redis.ReadUntilClosedAsync());
    }

    [Fact]
    public async Task Empty_and_null_multibulks_and_blank_inline_lines_are_ignored()
    {
        await using var redis = await Server.ConnectRawAsync();
        await redis.SendAsync("*0\r\n*-1\r\n\r\n\n  \r\nPING\r\n");
        RespAssert.SimpleString("PONG", await redis.ReadReplyAsync());
    }

    [Fact]
    public async Task Inline_commands_split_on_spaces_honour_quotes_and_reject_text_glued_to_a_closing_quote()
    {
        await using var redis = await Server.ConnectRawAsync();
        await redis.SendAsync("SET inline:k  \"a b\\x41\\n\"  \nGET inline:k\nECHO 'it''s'\r\n");
        RespAssert.Ok(await redis.ReadReplyAsync());
        RespAssert.Bulk("a bA\n", await redis.ReadReplyAsync());
        RespAssert.Error("ERR Protocol error: unbalanced quotes in request", await redis.ReadReplyAsync());
    }

    [Fact]
    public async Task Huge_multibulk_and_bulk_headers_do_not_make_the_server_allocate_them()
    {
        var before = Server.ResidentBytes();
        var idle = new List<RawConnection>();
        try
        {
            // Legal headers announcing nearly the limits, never followed by the data: a server that
            // sized buffers from the header would take gigabytes here.
            for (var i = 0; i < 4; i++)
            {
                var connection = await Server.ConnectRawAsync();
                idle.Add(connection);
                await connection.SendAsync(i % 2 == 0 ? "*2000000000\r\n" : "*1\r\n$500000000\r\nabc");
            }
            // A full round trip on a fresh connection after the headers were sent.
            await AssertServerStillAnswersAsync();
            var after = Server.ResidentBytes();
            Assert.True(after - before < 256L << 20, $"RSS grew from {before >> 20} MB to {after >> 20} MB after announcing huge frames");
        }
        finally
        {
            foreach (var connection in idle)
            {
                await connection.DisposeAsync();
            }
        }
        await AssertServerStillAnswersAsync();
    }

    private async Task AssertServerStillAnswersAsync()
    {
        await using var probe = await Server.ConnectAsync();
        RespAssert.SimpleString("PONG", await probe.RunAsync("PING"));
    }
}
