using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dst.Server.Tests.Infrastructure;
using Dst.Server.Tests.Replication;
using Dst.Testing.History;
using Dst.Testing.Linearizability;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Dst.Server.Tests.Jepsen;

/// <summary>
/// Jepsen-style: concurrent clients run SET/GET/INCR/APPEND/DEL on a few keys through any of five
/// real nodes while the <see cref="Nemesis"/> kills, pauses, partitions and re-adds nodes. Then:
/// the cluster must serve again within a bound once healed; the recorded history must be
/// linearizable per key; every acknowledged ledger write must be on every node; and the nodes must
/// hold identical data. Bounded for CI (DST_JEPSEN_SECONDS, default 20); DST_JEPSEN_SEED replays
/// the same fault schedule and operation mix (not the same timing).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class JepsenTests(ITestOutputHelper output)
{
    private const int Clients = 6;

    /// <summary>How long a healed cluster may take to serve through every node; generous for a loaded 2-core machine.</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(60);

    /// <summary>The checker is exponential in the worst case; a run it cannot decide fails as inconclusive rather than hanging.</summary>
    private static readonly TimeSpan CheckerBound = TimeSpan.FromMinutes(3);

    [Fact]
    [Trait("duration", "long")] // bounded by default; skip with --filter "duration!=long"
    public async Task Histories_under_kills_pauses_partitions_and_membership_changes_are_linearizable()
    {
        var seed = TestSettings.Seed("DST_JEPSEN_SEED");
        var seconds = TestSettings.Integer("DST_JEPSEN_SECONDS", 20);
        var replay = $"DST_JEPSEN_SEED={seed} DST_JEPSEN_SECONDS={seconds} dotnet test tests/Dst.Server.Tests -c Release --filter FullyQualifiedName~JepsenTests";
        output.WriteLine($"seed {seed}, {seconds} s of faults; replay with: {replay}");

        var random = new Random(seed);
        var history = new HistoryRecorder<RedisKvInput, RedisKvReply>();
        await using var cluster = await ClusterProcesses.StartAsync(new ClusterOptions { Nodes = 5 });
        await cluster.WaitForLeaderAsync();
        var nemesis = new Nemesis(cluster, new Random(random.Next()), () => history.Now, output.WriteLine);
        var clients = Enumerable.Range(0, Clients).Select(id => new JepsenClient(id, cluster, history, new Random(random.Next()))).ToArray();

        string Failure(string what) => $"{what}\nseed {seed}; replay with: {replay}\nnemesis:\n{string.Join('\n', nemesis.Events)}\n{cluster.Output()}";

        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds)))
        {
            var running = clients.Select(client => client.RunAsync(stop.Token)).Append(nemesis.RunAsync(stop.Token)).ToArray();
            await Task.WhenAll(running);
        }
        await nemesis.RecoverAsync();

        // Healed: every node must serve a write again within the bound.
        var healed = Stopwatch.StartNew();
        try
        {
            await cluster.WaitForLeaderAsync(RecoveryBound);
            foreach (var node in cluster.Nodes)
            {
                await NodeState.UntilSuccessAsync(node, "SET", "jepsen:probe", node.Id.ToString(CultureInfo.InvariantCulture));
            }
        }
        catch (TimeoutException e)
        {
            throw new XunitException(Failure($"the healed cluster did not serve through every node: {e.Message}"));
        }
        output.WriteLine($"healed cluster served through every node after {healed.ElapsedMilliseconds} ms (bound {RecoveryBound.TotalSeconds:0} s)");

        // A final read of every key, part of the history: acknowledged writes must show in it.
        var leader = await cluster.WaitForLeaderAsync();
        await using (var reader = await leader.Process.ConnectAsync())
        {
            for (var i = 0; i < Workload.KeyCount; i++)
            {
                var input = new RedisKvInput(RedisKvCommand.Get, Workload.Key(i));
                var operation = history.Invoke(Clients, input);
                var answer = await reader.RunAsync("GET", input.Key);
                var (readVerdict, reply) = Workload.Classify(input, answer);
                if (readVerdict != Workload.Verdict.Ok)
                {
                    throw new XunitException(Failure($"the final read of {input.Key} failed: {answer}"));
                }
                history.Ok(operation, reply);
            }
        }

        var operations = history.Operations();
        output.WriteLine($"{history.OkCount} ok, {history.FailCount} failed, {history.UnknownCount} unknown operations");
        var checking = Task.Run(() => LinearizabilityChecker.Check(new RedisKvModel(), operations));
        if (await Task.WhenAny(checking, Task.Delay(CheckerBound)) != checking)
        {
            throw new XunitException(Failure($"inconclusive: the checker did not decide {operations.Count} operations within {CheckerBound.TotalMinutes:0} min"));
        }
        var verdict = await checking;
        if (!verdict.IsLinearizable)
        {
            throw new XunitException(Failure($"the history of key {verdict.FailingPartition} is not linearizable:\n{Describe(operations, verdict.FailingPartition!, verdict.StuckAtCall)}"));
        }

        var ledger = clients.SelectMany(client => client.AcknowledgedLedgerKeys).ToArray();
        var problems = await CompareNodesAsync(cluster, ledger, Failure);
        if (problems.Count > 0)
        {
            throw new XunitException(Failure(string.Join('\n', problems)));
        }
        output.WriteLine($"linearizable; {ledger.Length} acknowledged ledger writes on every node; nodes identical");
    }

    /// <summary>Every node, read on its own (READONLY): holds every acknowledged ledger key, and the same keys and values as the others.</summary>
    private static async Task<List<string>> CompareNodesAsync(ClusterProcesses cluster, string[] ledger, Func<string, string> failure)
    {
        var keys = Enumerable.Range(0, Workload.KeyCount).Select(Workload.Key).Concat(ledger).Append("jepsen:probe").ToArray();
        var problems = new List<string>();
        (long Size, SortedDictionary<string, string?> Values)? first = null;
        ClusterNode? firstNode = null;
        foreach (var node in cluster.Nodes)
        {
            // A node still catching up may answer CLUSTERDOWN (no read point in time): wait it out.
            (long Size, SortedDictionary<string, string?> Values)? answered = null;
            var why = "";
            try
            {
                await Eventually.UntilAsync(async () => (answered = await NodeState.TrySnapshotAsync(node, keys, e => why = e)) is not null, $"{node} to answer reads after the cluster healed");
            }
            catch (TimeoutException e)
            {
                throw new XunitException(failure($"{e.Message}; the last attempt got: {why}"));
            }
            var state = answered!.Value;
            var missing = ledger.Where(key => state.Values[key] is null).ToArray();
            if (missing.Length > 0)
            {
                problems.Add($"{node} lost {missing.Length} acknowledged writes: {string.Join(' ', missing.Take(20))}");
            }
            if (first is null)
            {
                (first, firstNode) = (state, node);
            }
            else if (state.Size != first.Value.Size || !state.Values.SequenceEqual(first.Value.Values))
            {
                var differing = keys.Where(key => state.Values[key] != first.Value.Values[key]).Take(20)
                    .Select(key => $"{key}: {first.Value.Values[key] ?? "(nil)"} vs {state.Values[key] ?? "(nil)"}");
                problems.Add($"{firstNode} and {node} differ: DBSIZE {first.Value.Size} vs {state.Size}; {string.Join("; ", differing)}");
            }
        }
        return problems;
    }

    /// <summary>
    /// The operations on one key in invocation order around where the checker got stuck (60 before,
    /// 20 after), times in ms on the history's clock; an unknown operation has no completion.
    /// </summary>
    private static string Describe(IReadOnlyList<Operation<RedisKvInput, RedisKvReply>> operations, string key, long? stuckAtCall)
    {
        var ordered = operations.Where(op => op.Input.Key == key).OrderBy(op => op.Call).ToList();
        var stuck = stuckAtCall is { } call ? Math.Max(0, ordered.FindIndex(op => op.Call >= call)) : 0;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{ordered.Count} operations; the longest linearizable order could not place the one marked >>");
        for (var i = Math.Max(0, stuck - 60); i < Math.Min(ordered.Count, stuck + 20); i++)
        {
            var op = ordered[i];
            var returned = op.Return is { } r ? (r / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) : "?";
            var reply = op.OutcomeKnown ? op.Output.ToString() : "unknown";
            text.AppendLine(CultureInfo.InvariantCulture, $"{(i == stuck ? ">>" : "  ")}{op.Call / 1000.0,9:0.0} .. {returned,9} client {op.ClientId}: {op.Input} -> {reply}");
        }
        return text.ToString();
    }
}
