using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Dst.Server.Tests.Replication;

/// <summary>Five real processes: the leader killed with SIGKILL under write load; a new one is elected and writes resume.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_the_leader_under_load_elects_another_and_writes_resume_without_losing_acknowledged_ones()
    {
        await using var cluster = await ClusterProcesses.StartAsync(new ClusterOptions { Nodes = 5 });
        var leader = await cluster.WaitForLeaderAsync();
        var survivors = cluster.Nodes.Where(node => node != leader).ToArray();

        // Writers through the followers (proxy mode), each counting its own acknowledged writes.
        using var stop = new CancellationTokenSource();
        var acknowledged = new long[survivors.Length];
        var writers = survivors.Select((node, i) => WriteLoopAsync(node, $"failover:{i}", () => Interlocked.Increment(ref acknowledged[i]), stop.Token)).ToArray();
        await Eventually.UntilAsync(() => Enumerable.Range(0, survivors.Length).All(i => Volatile.Read(ref acknowledged[i]) >= 5), "every writer to get 5 writes acknowledged");

        var killedAt = Stopwatch.StartNew();
        var before = Total(acknowledged);
        await cluster.KillAsync(leader.Id);
        var newLeader = await cluster.WaitForLeaderAsync(except: leader.Id);
        await Eventually.UntilAsync(() => Total(acknowledged) >= before + survivors.Length * 5, "writes to resume after the leader was killed");
        output.WriteLine($"killed {leader}; {newLeader} leads; writes resumed {killedAt.ElapsedMilliseconds} ms after the kill (not asserted)");
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        // The old leader comes back as a follower and catches up; every node agrees with every writer's last acknowledged count.
        await cluster.RestartAsync(leader.Id);
        var keys = survivors.Select((_, i) => $"failover:{i}").ToArray();
        foreach (var node in cluster.Nodes)
        {
            await Eventually.UntilAsync(
                async () =>
                {
                    var snapshot = await NodeState.TrySnapshotAsync(node, keys);
                    return snapshot is { Values: var values }
                        && keys.Select((key, i) => values[key] is { } v && long.Parse(v, CultureInfo.InvariantCulture) >= acknowledged[i]).All(ok => ok);
                },
                $"{node} to hold every acknowledged increment ({string.Join(", ", acknowledged)})\n{cluster.Output()}");
        }
    }

    private static long Total(long[] counts) => Enumerable.Range(0, counts.Length).Sum(i => Volatile.Read(ref counts[i]));

    /// <summary>INCR in a loop through one node, reconnecting after errors; counts acknowledged increments.</summary>
    private static async Task WriteLoopAsync(ClusterNode node, string key, Action acknowledged, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await node.Process.ConnectAsync();
                while (!stop.IsCancellationRequested)
                {
                    var reply = await connection.RunAsync("INCR", key);
                    if (reply.IsError)
                    {
                        await Task.Delay(20, CancellationToken.None); // CLUSTERDOWN during the election: try again
                        continue;
                    }
                    acknowledged();
                }
            }
            catch (IOException)
            {
            }
            catch (System.Net.Sockets.SocketException)
            {
            }
            catch (OperationCanceledException)
            {
                // RunAsync's deadline: the node kept the command without any answer.
                throw new XunitException(
                    $"INCR {key} through {node} got no reply within {RawConnection.ReplyTimeout.TotalSeconds:0} s: "
                    + "a node must answer (a result, or CLUSTERDOWN) even when the leader it forwarded to was killed");
            }
        }
    }
}
