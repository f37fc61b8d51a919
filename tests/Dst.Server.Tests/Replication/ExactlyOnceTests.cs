using System.Globalization;
using Dst.Client;
using Dst.Protocol;
using Xunit.Abstractions;

namespace Dst.Server.Tests.Replication;

/// <summary>
/// Writes sent to a follower are forwarded under the follower's exactly-once session: when the
/// leader changes under them they are retried on the new leader and applied once. INCR shows it:
/// a write applied twice would make a client's counter skip a number.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ExactlyOnceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Forwarded_writes_survive_leader_changes_and_are_applied_once()
    {
        await using var cluster = await ClusterProcesses.StartAsync(new ClusterOptions { Nodes = 3 });
        var leader = await cluster.WaitForLeaderAsync();
        var followers = cluster.Nodes.Where(node => node != leader).ToArray();
        using var stop = new CancellationTokenSource();
        var writers = followers.Select((node, i) => new CounterWriter(node, $"once:{i}")).ToArray();
        var running = writers.Select(writer => writer.RunAsync(stop.Token)).ToArray();
        await WaitForProgressAsync(cluster, writers, 20);

        // A graceful hand-over: every write in flight is retried on the new leader; none fails.
        var errorsBefore = writers.Select(writer => writer.Errors).ToArray();
        var target = followers[0];
        await using (var admin = await cluster.ConnectAsync(leader.Id))
        {
            Assert.Equal("OK", (await admin.RunAsync("CLUSTER", "TRANSFERLEADER", target.Id.ToString(CultureInfo.InvariantCulture))).AsString());
        }
        await Eventually.UntilAsync(async () => (await cluster.LeaderAsync())?.Id == target.Id, $"{target} to lead");
        await WaitForProgressAsync(cluster, writers, 20);
        Assert.All(writers.Select((writer, i) => (writer, errors: writer.Errors - errorsBefore[i])), w =>
            Assert.True(w.errors == 0, $"{w.writer.Key} via {w.writer.Node}: {w.errors} errors during the hand-over, the last: {w.writer.LastError}"));

        // The leader killed: writes in flight may or may not have reached it; retried, each applies once.
        await cluster.KillAsync(target.Id);
        await cluster.WaitForLeaderAsync(except: target.Id);
        var survivor = writers.Single(writer => writer.Node != target);
        await WaitForProgressAsync(cluster, [survivor], 20);
        await stop.CancelAsync();
        await Task.WhenAll(running);

        foreach (var writer in writers)
        {
            output.WriteLine($"{writer.Key} via {writer.Node}: {writer.Acknowledged} acknowledged, {writer.Errors} errors");
            Assert.Empty(writer.Skips);
        }
        // Every write the survivor had answered is in the counter exactly once.
        await using var reader = await cluster.ConnectAsync(survivor.Node.Id);
        Assert.Equal(survivor.LastValue.ToString(CultureInfo.InvariantCulture), (await reader.RunAsync("GET", survivor.Key)).AsString());
    }

    private static async Task WaitForProgressAsync(ClusterProcesses cluster, IEnumerable<CounterWriter> writers, long more)
    {
        var targets = writers.Select(writer => (writer, goal: writer.Acknowledged + more)).ToArray();
        try
        {
            await Eventually.UntilAsync(() => targets.All(t => t.writer.Acknowledged >= t.goal), $"every writer to get {more} more writes acknowledged");
        }
        catch (TimeoutException e)
        {
            var states = string.Join("\n", targets.Select(t => $"{t.writer.Key} via {t.writer.Node}: {t.writer.Acknowledged} acknowledged, {t.writer.Errors} errors, the last: {t.writer.LastError}"));
            var replication = new List<string>();
            foreach (var node in cluster.Nodes)
            {
                var info = await ClusterProcesses.ProbeReplicationAsync(node);
                replication.Add($"{node}: " + (info is null ? "no answer" : string.Join(' ', info.Where(f => f.Key.StartsWith("raft_", StringComparison.Ordinal) || f.Key.StartsWith("forward_", StringComparison.Ordinal)).Select(f => $"{f.Key}={f.Value}"))));
                if (node.IsUp)
                {
                    await using var probe = await node.Process.ConnectAsync();
                    replication.Add((await probe.RunAsync("CLIENT", "LIST")).AsString());
                    replication.Add((await probe.RunAsync("INFO", "stats")).AsString());
                }
            }
            throw new TimeoutException($"{e.Message}\n{states}\n{string.Join('\n', replication)}\n{cluster.Output()}", e);
        }
    }

    /// <summary>INCRs one key through one node, one at a time, and notes any reply that is not the previous one plus 1.</summary>
    private sealed class CounterWriter(ClusterNode node, string key)
    {
        private long _acknowledged;
        private long _errors;

        public ClusterNode Node { get; } = node;

        public string Key { get; } = key;

        public long Acknowledged => Volatile.Read(ref _acknowledged);

        public long Errors => Volatile.Read(ref _errors);

        public long LastValue { get; private set; }

        public string? LastError { get; private set; }

        /// <summary>Replies that skipped a number with no error before them: a write applied twice.</summary>
        public List<string> Skips { get; } = [];

        public async Task RunAsync(CancellationToken stop)
        {
            var afterError = false;
            await using var connection = await Node.Process.ConnectAsync();
            while (!stop.IsCancellationRequested)
            {
                RespValue reply;
                try
                {
                    reply = await connection.RunAsync("INCR", Key);
                }
                catch (Exception e) when (e is IOException or RespConnectionException or System.Net.Sockets.SocketException)
                {
                    LastError = $"connection lost: {e.Message}"; // expected only when this writer's node was killed
                    return;
                }
                if (reply.IsError)
                {
                    LastError = reply.AsError();
                    Interlocked.Increment(ref _errors);
                    afterError = true;
                    await Task.Delay(20, CancellationToken.None);
                    continue;
                }
                var value = reply.AsInteger();
                if (value != LastValue + 1 && !afterError)
                {
                    Skips.Add($"{LastValue} then {value}");
                }
                LastValue = value;
                afterError = false;
                Interlocked.Increment(ref _acknowledged);
            }
        }
    }
}
