using Dst.Server.Tests.Infrastructure;
namespace Dst.Server.Tests.Replication;

/// <summary>A member removed, its disk wiped, and added again: it catches up and holds exactly what the others hold.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RejoinTests
{
    private const int Keys = 300;

    [Fact(Skip = ClusterCollection.UntilJoinCatchesUp)]
    public async Task A_wiped_node_rejoins_catches_up_and_serves_identical_data()
    {
        await using var cluster = await ClusterProcesses.StartAsync(new ClusterOptions { Nodes = 3 });
        var leader = await cluster.WaitForLeaderAsync();
        var keys = Enumerable.Range(0, Keys).Select(i => $"rejoin:{i}").ToArray();
        await using (var client = await leader.Process.ConnectAsync())
        {
            foreach (var batch in keys.Chunk(50))
            {
                RespAssert.Ok(await client.RunAsync(["MSET", .. batch.SelectMany(key => new[] { key, "v-" + key })]));
            }
        }

        var wiped = cluster.Nodes.First(node => node != leader);
        RespAssert.Ok(await cluster.RemoveNodeAsync(wiped.Id));
        await using (var client = await leader.Process.ConnectAsync())
        {
            // Written while the node is out: it can only learn these from the others.
            RespAssert.Ok(await client.RunAsync("SET", "rejoin:while-out", "x"));
            RespAssert.Integer(1, await client.RunAsync("DEL", keys[0]));
        }
        await cluster.JoinAsync(wiped.Id, wipe: true);

        var expected = await NodeState.SnapshotAsync(leader, [.. keys, "rejoin:while-out"]);
        Assert.Equal(Keys, expected.Size);
        await Eventually.UntilAsync(
            async () =>
            {
                var actual = await NodeState.TrySnapshotAsync(wiped, [.. keys, "rejoin:while-out"]);
                return actual is { } state && state.Size == expected.Size && state.Values.SequenceEqual(expected.Values);
            },
            $"the re-added {wiped} to hold the same {expected.Size} keys as the leader\n{cluster.Output()}");

        // It is a voter again: with the third node gone, leader and it are a majority only if it counts.
        var other = cluster.Nodes.First(node => node != leader && node != wiped);
        await cluster.KillAsync(other.Id);
        await NodeState.UntilSuccessAsync(wiped, "SET", "rejoin:after", "1");
        await using var check = await NodeState.ConnectReadOnlyAsync(wiped);
        RespAssert.Bulk("1", await check.RunAsync("GET", "rejoin:after"));
        RespAssert.Integer(Keys + 1, await check.RunAsync("DBSIZE"));
    }
}
