using System.Globalization;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Features;

/// <summary>
/// Scripted sessions through ioredis, the Node.js client, from npm (tests/clients/ioredis, installed by
/// scripts/test.sh with <c>npm ci</c>): as a plain client, and as a cluster client that reads the slot
/// map from CLUSTER SLOTS.
/// </summary>
public sealed class IoredisTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_session_runs_typed_commands_transactions_pubsub_a_woken_blpop_and_a_pipeline()
    {
        var output = await RunAsync("session.js");
        Assert.Equal(
            """
            ok v1
            {"a":"1","b":"2"}
            [[null,"OK"],[null,2],[null,"2"]]
            null
            1
            1
            js:ch hi
            ["js:q","job"]
            1000 1000 true
            true
            ERR value is not an integer or out of range
            ["a","1.5","b","2"]

            """, output);
    }

    [Fact]
    public async Task The_cluster_client_learns_the_slots_and_reads_back_every_key()
    {
        var output = await RunAsync("cluster.js");
        Assert.Equal(
            """
            true 200
            ["1","2"]
            [[null,1],[null,2],[null,"2"]]
            1

            """, output);
    }

    private async Task<string> RunAsync(string script)
    {
        var directory = ClientDirectory();
        Assert.True(Directory.Exists(Path.Combine(directory, "node_modules", "ioredis")),
            $"ioredis is not installed: run 'npm ci --prefix {directory}' (scripts/test.sh does this)");
        var port = fixture.Server.Port.ToString(CultureInfo.InvariantCulture);
        var result = await ExternalProgram.RunAsync("node", [Path.Combine(directory, script), port]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StandardOutput;
    }

    /// <summary>tests/clients/ioredis of the checkout the tests were built from.</summary>
    private static string ClientDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "clients", "ioredis");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException($"no tests/clients/ioredis above {AppContext.BaseDirectory}");
    }
}
