using System.Text;
using Dst.Cli.Options;
using Dst.Cli.Session;

namespace Dst.Cli.Tests.EndToEnd;

/// <summary>The session under the prompt, against a real server: protocol choice and reconnecting after a crash.</summary>
public sealed class ServerSessionTests(DstServerFixture server) : IClassFixture<DstServerFixture>
{
    internal static byte[][] Args(params string[] words) => [.. words.Select(Encoding.UTF8.GetBytes)];

    [Fact]
    public async Task Resp3_is_chosen_when_the_server_supports_it_and_resp2_on_request()
    {
        await using var auto = new ServerSession(new CliOptions { Port = server.Port });
        await auto.EnsureConnectedAsync();
        Assert.Equal(3, auto.Protocol);
        await using var resp2 = new ServerSession(new CliOptions { Port = server.Port, Protocol = ProtocolChoice.Resp2 });
        await resp2.EnsureConnectedAsync();
        Assert.Equal(2, resp2.Protocol);
    }

    [Fact]
    public async Task A_dropped_connection_is_reported_and_the_next_command_reconnects()
    {
        // Its own server: this test kills it.
        var crashing = new DstServerFixture();
        await crashing.InitializeAsync();
        try
        {
            await using var session = new ServerSession(new CliOptions { Port = crashing.Port });
            Assert.Equal("OK", (await session.ExecuteAsync(Args("set", "reconnect:k", "1"))).GetString());

            await crashing.KillAsync();
            var dropped = await Assert.ThrowsAsync<ServerUnavailableException>(() => session.ExecuteAsync(Args("get", "reconnect:k")));
            Assert.StartsWith("Error: ", dropped.Message);
            Assert.False(session.IsConnected);
            var refused = await Assert.ThrowsAsync<ServerUnavailableException>(() => session.ExecuteAsync(Args("get", "reconnect:k")));
            Assert.StartsWith($"Could not connect to Dst at 127.0.0.1:{crashing.Port}: ", refused.Message);

            await crashing.StartAgainAsync();
            Assert.Equal("1", (await session.ExecuteAsync(Args("get", "reconnect:k"))).GetString());
            Assert.True(session.IsConnected);
            Assert.Equal(3, session.Protocol);
        }
        finally
        {
            await crashing.DisposeAsync();
        }
    }
}
