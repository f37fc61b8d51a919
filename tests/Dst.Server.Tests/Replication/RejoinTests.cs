using Dst.Server.Tests.Infrastructure;
namespace Dst.Server.Tests.Replication;

/// <summary>A member removed, its disk wiped, and added again: it catches up and holds exactly what the others hold.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RejoinTests
{
    private const int Keys = 300;

    [Fact]
    public async Task A_wiped_node_rejoins_catches_up_and_serves_identical_data()
    {
        await using var cluster = await ClusterProcesses.StartAsync(new ClusterOptions { Nodes = 3 });
        var leader = await cluster.WaitForLeaderAsync();
        var keys = Enumerable.Range(0, Keys).Select(i => $"rejoin:{i}").ToArray();
        // On a loaded machine an election may come at any step (the election timeout is 400-800 ms):
        // every step waits for the cluster to serve again rather than asking one node once.
        foreach (var batch in keys.Chunk(50))
        {
            RespAssert.Ok(await NodeState.UntilSuccessAsync(leader, ["MSET", .. batch.SelectMany(key => new[] { key, "v-" + key })]));
        }

        var wiped = cluster.Nodes.First(node => node != leader);
        var removal = "";
        try
        {
            await Eventually.UntilAsync(
                async () =>
                {
                    var reply = await cluster.RemoveNodeAsync(wiped.Id);
                    removal = reply.ToString();
                    return !reply.IsError || removal.Contains("is not a member", StringComparison.Ordinal);
                },
                $"CLUSTER REMOVENODE {wiped.Id} to succeed");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; the last attempt got: {removal}", e);
        }
        // Written while the node is out: it can only learn these from the others.
        RespAssert.Ok(await NodeState.UntilSuccessAsync(leader, "SET", "rejoin:while-out", "x"));
        await NodeState.UntilSuccessAsync(leader, "DEL", keys[0]);
        await cluster.JoinAsync(wiped.Id, wipe: true);

        (long Size, SortedDictionary<string, string?> Values)? answered = null;
        await Eventually.UntilAsync(
            async () => (answered = await NodeState.TrySnapshotAsync(await cluster.WaitForLeaderAsync(), [.. keys, "rejoin:while-out"])) is not null,
            "the leader to answer reads after the join");
        var expected = answered!.Value;
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
        (long Size, SortedDictionary<string, string?> Values)? after = null;
        await Eventually.UntilAsync(async () => (after = await NodeState.TrySnapshotAsync(wiped, ["rejoin:after"])) is not null, $"{wiped} to answer reads");
        Assert.Equal("1", after!.Value.Values["rejoin:after"]);
        Assert.Equal(Keys + 1, after.Value.Size);
    }
}
