using System.Diagnostics;
using Xunit.Abstractions;

namespace Dst.Raft.Tests.Simulation;

/// <summary>
/// Seeded whole-cluster simulation. <c>DST_SIM_SEEDS=N</c> sets how many seeds run (default 1000),
/// <c>DST_SIM_SEED=S</c> replays one seed and prints its set-up and faults. A failure prints the
/// node states and the command that replays it.
/// </summary>
[Trait("Category", "Simulation")]
public sealed class SimulationTests(ITestOutputHelper output)
{
    private const int DefaultSeeds = 1000;

    [Fact]
    public void Seeded_runs_keep_every_invariant_and_stay_linearizable()
    {
        var seeds = SeedsToRun();
        var failures = new System.Collections.Concurrent.ConcurrentBag<(ulong Seed, string Report)>();
        var results = new System.Collections.Concurrent.ConcurrentBag<SimulationResult>();
        var clock = Stopwatch.StartNew();
        Parallel.ForEach(seeds, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, seed =>
        {
            var simulation = new Simulation(seed);
            try
            {
                results.Add(simulation.Run());
            }
            catch (Exception e) when (e is SimulationInvariantException or RaftInvariantException or InvalidOperationException)
            {
                failures.Add((seed, $"seed {seed} failed: {e.Message}\n" +
                    $"  set-up: {simulation.Setup}\n" +
                    $"  replay: DST_SIM_SEED={seed} dotnet test tests/Dst.Raft.Tests --filter Category=Simulation\n" +
                    $"  last faults:\n{simulation.RecentTrace}\n{e.StackTrace}"));
            }
        });
        clock.Stop();
        output.WriteLine($"{seeds.Count} seeds in {clock.Elapsed.TotalSeconds:F1} s; " +
            $"{results.Sum(r => r.Operations)} client operations checked, {results.Sum(r => r.Crashes)} crashes, " +
            $"{results.Sum(r => r.MembershipChanges)} membership changes, {results.Sum(r => r.Transfers)} transfers, " +
            $"{results.Sum(r => r.OneWayPartitions)} sustained one-way partitions, " +
            $"{results.Count(r => r.Reads == ReadOnlyOption.LeaseBased)} runs with lease reads; " +
            $"recovery after healing took at most {results.Select(r => r.TicksToRecover).DefaultIfEmpty().Max()} ticks");
        if (seeds.Count == 1 && results.TryPeek(out var replayed))
        {
            output.WriteLine($"seed {replayed.Seed} passed; set-up: {replayed.Setup}\n{replayed.Trace}");
        }
        var lowestFirst = failures.OrderBy(f => f.Seed).Select(f => f.Report).ToList();
        foreach (var failure in lowestFirst.Take(5))
        {
            output.WriteLine(failure);
        }
        Assert.True(failures.IsEmpty, $"{failures.Count} of {seeds.Count} seeds failed; first: {lowestFirst.FirstOrDefault()}");
        Assert.All(results, r => Assert.True(r.Leaders > 0 && r.Committed > 1));
    }

    [Fact]
    public void Reads_that_skip_ReadIndex_are_caught_as_not_linearizable()
    {
        // The same simulation with reads answered from whatever replica the client hit: some of
        // these seeds must produce a stale read the checker rejects, or the checker proves nothing.
        var caught = Enumerable.Range(1, 40).Count(seed =>
        {
            try
            {
                new Simulation((ulong)seed, unsafeLocalReads: true).Run();
                return false;
            }
            catch (SimulationInvariantException e) when (e.Message.Contains("not linearizable"))
            {
                return true;
            }
        });
        output.WriteLine($"{caught} of 40 seeds with unsafe local reads were caught");
        Assert.True(caught > 0);
    }

    private static List<ulong> SeedsToRun()
    {
        if (ulong.TryParse(Environment.GetEnvironmentVariable("DST_SIM_SEED"), out var one))
        {
            return [one];
        }
        var count = int.TryParse(Environment.GetEnvironmentVariable("DST_SIM_SEEDS"), out var n) && n > 0 ? n : DefaultSeeds;
        return Enumerable.Range(1, count).Select(i => (ulong)i).ToList();
    }
}
