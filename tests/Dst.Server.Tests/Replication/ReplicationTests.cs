using System.Globalization;
using Dst.Protocol;
using Dst.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Dst.Server.Tests.Replication;

/// <summary>Three real dst-server processes as one Raft group: writes reach every node, any node serves clients.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReplicationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_acknowledged_write_is_on_every_node()
    {
        await using var cluster = await ClusterProcesses.StartAsync(new ClusterOptions { Nodes = 3 });
        var leader = await cluster.WaitForLeaderAsync();
        await using (var client = await leader.Process.ConnectAsync())
        {
            RespAssert.Ok(await client.RunAsync("SET", "rep:k", "v1"));
            RespAssert.Integer(1, await client.RunAsync("INCR", "rep:n"));
            RespAssert.Integer(3, await client.RunAsync("INCRBY", "rep:n", "2"));
        }
        foreach (var node in cluster.Nodes)
        {
            var (size, values) = await NodeState.SnapshotAsync(node, ["rep:k", "rep:n"]);
            Assert.True(size == 2 && values["rep:k"] == "v1" && values["rep:n"] == "3", $"{node} holds {size} keys: {string.Join(", ", values)}\n{cluster.Output()}");
        }
    }

    [Fact]
    public async Task Every_node_serves_reads_and_writes_in_proxy_mode()
    {
        await using var cluster = await ClusterProcesses.StartAsync(new ClusterOptions { Nodes = 3 });
        var leader = await cluster.WaitForLeaderAsync();
        var followers = cluster.Nodes.Where(node => node != leader).ToArray();

        // A write through one follower is read back through the other, without READONLY (forwarded to the leader).
        await using var writer = await followers[0].Process.ConnectAsync();
        await using var reader = await followers[1].Process.ConnectAsync();
        for (var i = 0; i < 20; i++)
        {
            var value = i.ToString(CultureInfo.InvariantCulture);
            RespAssert.Ok(await writer.RunAsync("SET", "proxy:k", value));
            RespAssert.Bulk(value, await reader.RunAsync("GET", "proxy:k"));
        }
        RespAssert.Integer(1, await reader.RunAsync("APPEND", "proxy:a", "x"));
        RespAssert.Bulk("x", await writer.RunAsync("GET", "proxy:a"));
    }

    [Fact]
    public async Task A_follower_in_redirect_mode_answers_moved_with_the_leaders_address()
    {
        await using var cluster = await ClusterProcesses.StartAsync(new ClusterOptions { Nodes = 3, Arguments = ["--routing", "redirect"] });
        var leader = await cluster.WaitForLeaderAsync();
        var follower = cluster.Nodes.First(node => node != leader);
        await using var client = await follower.Process.ConnectAsync();

        // Right after an election a follower may still answer CLUSTERDOWN until it has heard from the
        // leader in its new term; once it redirects, it names the leader.
        RespValue? reply = null;
        await Eventually.UntilAsync(
            async () => !(reply = await client.RunAsync("SET", "foo", "bar")).GetString()!.StartsWith("CLUSTERDOWN", StringComparison.Ordinal),
            $"{follower} to know the leader");

        // CRC16("foo") mod 16384 = 12182, the example in the Redis Cluster specification.
        RespAssert.Error($"MOVED 12182 127.0.0.1:{leader.Port}", reply!);
        await using var atLeader = await leader.Process.ConnectAsync();
        RespAssert.Ok(await atLeader.RunAsync("SET", "foo", "bar"));
        output.WriteLine($"leader {leader}, redirected from {follower}");
    }

    [Fact]
    public async Task Without_a_majority_the_survivor_answers_clusterdown_and_serves_again_when_it_returns()
    {
        await using var cluster = await ClusterProcesses.StartAsync(new ClusterOptions { Nodes = 3 });
        var leader = await cluster.WaitForLeaderAsync();
        await using (var client = await leader.Process.ConnectAsync())
        {
            RespAssert.Ok(await client.RunAsync("SET", "down:k", "before"));
        }
        var survivor = cluster.Nodes.First(node => node != leader);
        foreach (var node in cluster.Nodes.Where(node => node != survivor))
        {
            await cluster.KillAsync(node.Id);
        }

        // Once the survivor has noticed, every write gets CLUSTERDOWN: an answer, never a hang (RunAsync bounds each wait).
        RespValue? reply = null;
        await Eventually.UntilAsync(
            async () =>
            {
                await using var client = await survivor.Process.ConnectAsync();
                reply = await client.RunAsync("SET", "down:k", "during");
                return reply.IsError && reply.GetString()!.StartsWith("CLUSTERDOWN", StringComparison.Ordinal);
            },
            $"CLUSTERDOWN from the survivor {survivor}");
        RespAssert.ErrorStartsWith("CLUSTERDOWN", reply!);

        foreach (var node in cluster.Nodes.Where(node => node != survivor))
        {
            await cluster.RestartAsync(node.Id);
        }
        await NodeState.UntilSuccessAsync(survivor, "SET", "down:k", "after");
        await using var check = await survivor.Process.ConnectAsync();
        RespAssert.Bulk("after", await check.RunAsync("GET", "down:k"));
    }
}
