using System.Globalization;
using System.Text.Json;
using Dst.Testing;
using Dst.Testing.Processes;

namespace Dst.Cli.Tests.EndToEnd;

/// <summary>
/// <c>dst-cli --cluster</c> driving real <c>dst-server</c> processes. One cluster for the whole
/// story (each start costs seconds): status, add-node, transfer-leader, remove-node, and status once
/// no leader can be elected. The nodes require a password, so every run also proves <c>-a</c>.
/// </summary>
public sealed class ClusterAdminTests
{
    private const string Password = "cluster-admin-secret";

    [Fact]
    public async Task Status_add_node_transfer_leader_and_remove_node_on_a_three_node_cluster()
    {
        await using var cluster = await ClusterProcesses.StartAsync(new ClusterOptions
        {
            Nodes = 3,
            FaultProxies = false,
            Arguments = ["--requirepass", Password],
        });
        var first = Address(cluster.Node(1));
        var waited = await ClusterCliAsync("wait-leader", first, "--timeout", "60");
        Assert.True(waited.ExitCode == 0, waited.ToString());
        Assert.StartsWith("Leader: node ", waited.Stdout);

        var text = await ClusterCliAsync("status", first);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("Members: 3 (3 voters, 0 learners)", text.Stdout);
        Assert.Contains("ID  ADDRESS", text.Stdout);
        var status = await StatusAsync(first);
        Assert.Equal([1UL, 2UL, 3UL], Members(status).Select(m => m.Id));
        Assert.All(Members(status), m => Assert.Equal("voter", m.Role));
        var firstLeader = status.GetProperty("leader").GetUInt64();
        Assert.Equal([firstLeader], Members(status).Where(m => m.IsLeader).Select(m => m.Id));

        // add-node: the new node is started empty with --join, as the docs say; add-node returns once it votes.
        var fourth = await cluster.JoinAsync();
        var added = await ClusterCliAsync("add-node", Address(fourth), first, "--timeout", "60");
        Assert.True(added.ExitCode == 0, added + cluster.Output());
        Assert.Contains($"[OK] Node 4 (127.0.0.1:{fourth.Port}@{fourth.ClusterPort}) is a voter", added.Stdout);
        status = await StatusAsync(Address(fourth));
        Assert.Equal([1UL, 2UL, 3UL, 4UL], Members(status).Select(m => m.Id));
        Assert.Equal("voter", Members(status).Single(m => m.Id == 4).Role);

        // transfer-leader, sent to a node that is not the leader: it relays, and the command waits until node 4 leads.
        var via = Address(cluster.Node(firstLeader == 1 ? 2UL : 1UL));
        var transferred = await ClusterCliAsync("transfer-leader", via, "4");
        Assert.True(transferred.ExitCode == 0, transferred + cluster.Output());
        Assert.Equal(4UL, (await StatusAsync(first)).GetProperty("leader").GetUInt64());

        // remove-node of the first leader (as the hex name CLUSTER NODES prints), with JSON output.
        var removed = await ClusterCliAsync("remove-node", Address(fourth), firstLeader.ToString("x40", CultureInfo.InvariantCulture), "--json");
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.True(JsonDocument.Parse(removed.Stdout).RootElement.GetProperty("ok").GetBoolean());
        Assert.DoesNotContain(firstLeader, Members(await StatusAsync(Address(fourth))).Select(m => m.Id));

        var unknown = await ClusterCliAsync("remove-node", Address(fourth), "99");
        Assert.Equal(1, unknown.ExitCode);
        Assert.StartsWith("Node 99 is not a member (members: ", unknown.Stderr);

        // Two of the three remaining voters gone: node 4 cannot lead alone, and status says so with exit code 1.
        foreach (var node in cluster.Nodes.Where(n => n.Id != 4 && n.Id != firstLeader))
        {
            await cluster.KillAsync(node.Id);
        }
        CliRun? leaderless = null;
        await Eventually.UntilAsync(async () => (leaderless = await ClusterCliAsync("status", Address(fourth))).ExitCode != 0, "node 4 to step down");
        Assert.Equal(1, leaderless!.ExitCode);
        Assert.StartsWith("No leader: node 4 at ", leaderless.Stderr);
    }

    [Fact]
    public async Task An_unreachable_node_and_a_bad_command_line_exit_with_code_1()
    {
        var port = UnreachableServerTests.ClosedPort();
        var text = await CliRun.RunAsync(["--cluster", "status", $"127.0.0.1:{port}"]);
        Assert.Equal(1, text.ExitCode);
        Assert.StartsWith($"Could not connect to Dst at 127.0.0.1:{port}: ", text.Stderr);

        var json = await CliRun.RunAsync(["--json", "--cluster", "wait-leader", $"127.0.0.1:{port}", "--timeout", "0.2"]);
        Assert.Equal(1, json.ExitCode);
        var error = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.False(error.GetProperty("ok").GetBoolean());
        Assert.StartsWith("No leader within 0.2 s: Could not connect", error.GetProperty("error").GetString());

        var usage = await CliRun.RunAsync(["--cluster", "add-node", "127.0.0.1:7000"]);
        Assert.Equal(1, usage.ExitCode);
        Assert.Equal("Usage: dst-cli --cluster add-node <new-host:port> <existing-host:port> [--timeout <seconds>]\n", usage.Stderr);
        Assert.Contains("transfer-leader <host:port> <node-id>", (await CliRun.RunAsync(["--cluster", "help"])).Stdout);
    }

    private static string Address(ClusterNode node) => $"127.0.0.1:{node.Port}";

    private static Task<CliRun> ClusterCliAsync(params string[] words) => CliRun.RunAsync(["-a", Password, "--cluster", .. words]);

    private static async Task<JsonElement> StatusAsync(string via)
    {
        var run = await ClusterCliAsync("status", via, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonDocument.Parse(run.Stdout).RootElement.Clone();
    }

    private static IEnumerable<(ulong Id, string Role, bool IsLeader)> Members(JsonElement status) =>
        status.GetProperty("members").EnumerateArray().Select(m => (m.GetProperty("id").GetUInt64(), m.GetProperty("role").GetString()!, m.GetProperty("leader").GetBoolean())).ToList();
}
