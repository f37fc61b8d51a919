using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Dst.Cli.Tests.EndToEnd;

public class UnreachableServerTests
{
    [Fact]
    public async Task A_server_that_is_not_listening_is_reported_with_exit_code_1()
    {
        var port = ClosedPort();
        var run = await CliRun.RunAsync(["-p", port, "ping"]);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"Could not connect to Dst at 127.0.0.1:{port}: ", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task Usage_errors_exit_with_code_1_and_name_the_option()
    {
        var run = await CliRun.RunAsync(["--bogus"]);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("Unrecognized option or bad number of args for: '--bogus'\n", run.Stderr);
    }

    [Fact]
    public async Task Version_and_help_need_no_server()
    {
        Assert.Equal("dst-cli 0.1.0\n", (await CliRun.RunAsync(["--version"])).Stdout);
        Assert.Contains("Usage: dst-cli [OPTIONS] [cmd [arg [arg ...]]]", (await CliRun.RunAsync(["--help"])).Stdout);
    }

    /// <summary>A port nothing listens on: bound and released, and never listened on.</summary>
    internal static string ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);
    }
}
