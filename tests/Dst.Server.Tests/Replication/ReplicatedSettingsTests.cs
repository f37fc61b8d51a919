using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Replication;

/// <summary>
/// CONFIG SET of an encoding threshold is a log entry: every replica switches at the same index, so a
/// collection grown past the new threshold has the same encoding on every node.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReplicatedSettingsTests
{
    [Fact]
    public async Task A_threshold_set_on_the_leader_or_a_follower_converts_alike_on_every_node()
    {
        await using var cluster = await ClusterProcesses.StartAsync(new ClusterOptions { Nodes = 3, FaultProxies = false });
        var leader = await cluster.WaitForLeaderAsync();
        var follower = cluster.Nodes.First(node => node != leader);
        await using (var client = await leader.Process.ConnectAsync())
        {
            RespAssert.Ok(await client.RunAsync("CONFIG", "SET", "hash-max-listpack-entries", "4"));
            await client.RunAsync("HSET", "big", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5");
            await client.RunAsync("HSET", "small", "a", "1", "b", "2");
        }
        await using (var client = await follower.Process.ConnectAsync())
        {
            RespAssert.ErrorStartsWith(
                "ERR CONFIG SET failed (possibly related to argument 'zset-max-listpack-entries') - argument couldn't be parsed",
                await client.RunAsync("CONFIG", "SET", "zset-max-listpack-entries", "two"));
            RespAssert.Ok(await client.RunAsync("CONFIG", "SET", "zset-max-listpack-entries", "2"));
            await client.RunAsync("ZADD", "z", "1", "a", "2", "b", "3", "c");
        }

        foreach (var node in cluster.Nodes)
        {
            await using var reader = await NodeState.ConnectReadOnlyAsync(node);
            Assert.Equal("hashtable", (await reader.RunAsync("OBJECT", "ENCODING", "big")).AsString());
            Assert.Equal("listpack", (await reader.RunAsync("OBJECT", "ENCODING", "small")).AsString());
            Assert.Equal("skiplist", (await reader.RunAsync("OBJECT", "ENCODING", "z")).AsString());
            RespAssert.Array(await reader.RunAsync("CONFIG", "GET", "hash-max-listpack-entries"), "hash-max-listpack-entries", "4");
        }
    }
}
