using System.Globalization;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.RedisTools;

/// <summary>redis-cli against a server started with --requirepass: refused without -a, served with it.</summary>
public sealed class RedisCliAuthenticationTests
{
    [Fact]
    public async Task Redis_cli_authenticates_with_a_password()
    {
        await using var server = await ServerProcess.StartAsync("--requirepass", "bench-secret");
        var port = server.Port.ToString(CultureInfo.InvariantCulture);
        var refused = await ExternalProgram.RunAsync("redis-cli", ["-h", "127.0.0.1", "-p", port, "GET", "k"]);
        Assert.Equal("NOAUTH Authentication required.\n\n", refused.StandardOutput);
        var accepted = await ExternalProgram.RunAsync("redis-cli", ["-h", "127.0.0.1", "-p", port, "-a", "bench-secret", "--no-auth-warning", "SET", "k", "v"]);
        Assert.Equal("OK\n", accepted.StandardOutput);
    }
}
