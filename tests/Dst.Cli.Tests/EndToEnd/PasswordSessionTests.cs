using Dst.Cli.Options;
using Dst.Cli.Session;
using static Dst.Cli.Tests.EndToEnd.ServerSessionTests;

namespace Dst.Cli.Tests.EndToEnd;

/// <summary>-a and --user against a server that requires a password.</summary>
public sealed class PasswordSessionTests(PasswordServerFixture fixture) : IClassFixture<PasswordServerFixture>
{
    private int Port => fixture.Server.Port;

    [Fact]
    public async Task A_password_authenticates_before_the_protocol_is_negotiated()
    {
        await using var session = new ServerSession(new CliOptions { Port = Port, Password = PasswordServerFixture.Password });
        Assert.Equal("PONG", (await session.ExecuteAsync(Args("ping"))).GetString());
        Assert.Equal(3, session.Protocol);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_the_servers_words()
    {
        await using var session = new ServerSession(new CliOptions { Port = Port, Password = "wrong" });
        var error = await Assert.ThrowsAsync<ServerUnavailableException>(() => session.EnsureConnectedAsync());
        Assert.StartsWith("AUTH failed: WRONGPASS", error.Message);
        Assert.False(session.IsConnected);
    }

    [Fact]
    public async Task Authenticating_by_hand_upgrades_the_session_to_resp3()
    {
        await using var session = new ServerSession(new CliOptions { Port = Port });
        Assert.StartsWith("NOAUTH", (await session.ExecuteAsync(Args("get", "k"))).GetString());
        Assert.Equal(2, session.Protocol);
        Assert.Equal("OK", (await session.ExecuteAsync(Args("auth", PasswordServerFixture.Password))).GetString());
        Assert.Equal(3, session.Protocol);
    }

    [Fact]
    public async Task The_binary_with_a_wrong_password_exits_with_1()
    {
        var run = await CliRun.RunAsync(["-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-a", "wrong", "ping"]);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("AUTH failed: WRONGPASS", run.Stderr);
    }
}
