using System.Globalization;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.RedisTools;

/// <summary>
/// redis-benchmark exits on the first error reply, so a clean run proves the commands and the
/// CONFIG GET calls it makes at start are compatible. No figure is asserted: speed is for bench/.
/// </summary>
public sealed class RedisBenchmarkTests
{
    [Fact]
    public async Task Redis_benchmark_set_and_get_complete_without_an_error()
    {
        await using var server = await ServerProcess.StartAsync("--appendfsync", "no");
        var result = await ExternalProgram.RunAsync(
            "redis-benchmark",
            ["-h", "127.0.0.1", "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-t", "set,get", "-n", "2000", "-q"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("SET: ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("GET: ", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("ERR", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        Assert.False(server.HasExited, server.Output);
    }
}
