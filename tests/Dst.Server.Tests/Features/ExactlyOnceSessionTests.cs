using System.Globalization;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Features;

/// <summary>DST.SESSION: a client that lost its connection resumes its session and sends again what it got no reply for.</summary>
public sealed class ExactlyOnceSessionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Writes_sent_again_after_resuming_are_answered_once_and_applied_once()
    {
        string id;
        await using (var first = await Server.ConnectAsync())
        {
            id = (await first.RunAsync("DST.SESSION", "NEW")).AsInteger().ToString(CultureInfo.InvariantCulture);
            Assert.Equal(1, (await first.RunAsync("INCR", "session:n")).AsInteger());
            Assert.Equal(2, (await first.RunAsync("INCR", "session:n")).AsInteger());
            // The connection drops before the client reads the second reply: it resumes at sequence 2.
        }
        await using var second = await Server.ConnectAsync();
        Assert.Equal("OK", (await second.RunAsync("DST.SESSION", "RESUME", id, "2")).AsString());
        Assert.Equal(2, (await second.RunAsync("INCR", "session:n")).AsInteger());
        Assert.Equal(3, (await second.RunAsync("INCR", "session:n")).AsInteger());
        Assert.Equal("3", (await second.RunAsync("GET", "session:n")).AsString());
        Assert.Equal([id, "4"], (await second.RunAsync("DST.SESSION", "INFO")).AsList().Select(v => v.AsInteger().ToString(CultureInfo.InvariantCulture)));

        // Resuming at 2 acknowledged sequence 1: its reply is gone and it is not applied again.
        Assert.Equal("OK", (await second.RunAsync("DST.SESSION", "RESUME", id, "1")).AsString());
        Assert.StartsWith($"ERR session {id} already acknowledged sequence 1", (await second.RunAsync("INCR", "session:n")).AsError());
        Assert.Equal("OK", (await second.RunAsync("DST.SESSION", "END")).AsString());
        Assert.Equal(4, (await second.RunAsync("INCR", "session:n")).AsInteger());
    }

    [Fact]
    public async Task A_transaction_sent_again_gets_the_first_execution_reply()
    {
        await using var connection = await Server.ConnectAsync();
        var id = (await connection.RunAsync("DST.SESSION", "NEW")).AsInteger().ToString(CultureInfo.InvariantCulture);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            Assert.Equal("OK", (await connection.RunAsync("DST.SESSION", "RESUME", id, "1")).AsString());
            Assert.Equal("OK", (await connection.RunAsync("MULTI")).AsString());
            Assert.Equal("QUEUED", (await connection.RunAsync("INCR", "session:tx")).AsString());
            Assert.Equal("QUEUED", (await connection.RunAsync("RPUSH", "session:list", "x")).AsString());
            Assert.Equal([1L, 1L], (await connection.RunAsync("EXEC")).AsList().Select(v => v.AsInteger()));
        }
        Assert.Equal(1, (await connection.RunAsync("LLEN", "session:list")).AsInteger());
    }

    [Fact]
    public async Task Bad_session_arguments_are_refused()
    {
        await using var connection = await Server.ConnectAsync();
        Assert.Equal("ERR session id must be a positive integer", (await connection.RunAsync("DST.SESSION", "RESUME", "0", "1")).AsError());
        Assert.Equal("ERR sequence must be a positive integer", (await connection.RunAsync("DST.SESSION", "RESUME", "5", "x")).AsError());
        Assert.StartsWith("ERR unknown subcommand", (await connection.RunAsync("DST.SESSION", "NEW", "extra")).AsError());
        Assert.StartsWith("ERR wrong number of arguments", (await connection.RunAsync("DST.SESSION")).AsError());
        Assert.Equal([0L, 0L], (await connection.RunAsync("DST.SESSION", "INFO")).AsList().Select(v => v.AsInteger()));
        // A session whose first write is not sequence 1 is unknown: never applied, never guessed.
        Assert.Equal("OK", (await connection.RunAsync("DST.SESSION", "RESUME", "12345", "7")).AsString());
        Assert.StartsWith("SESSIONEXPIRED session 12345 is unknown", (await connection.RunAsync("SET", "session:never", "1")).AsError());
        Assert.Equal(0, (await connection.RunAsync("EXISTS", "session:never")).AsInteger());
        Assert.Equal("OK", (await connection.RunAsync("MULTI")).AsString());
        Assert.Equal("ERR Command not allowed inside a transaction", (await connection.RunAsync("DST.SESSION", "END")).AsError());
    }
}
