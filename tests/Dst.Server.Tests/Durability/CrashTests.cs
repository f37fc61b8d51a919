using Dst.Protocol;
using Dst.Server.Tests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Dst.Server.Tests.Durability;

/// <summary>
/// SIGKILL a server with <c>--appendfsync always</c> under pipelined write load, many times at
/// random moments; after every restart each acknowledged write must be there. Bounded for CI
/// (DST_CRASH_KILLS, default 15); DST_CRASH_SEED replays a run.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Workers = 4;
    private const int SlotsPerWorker = 64;

    [Fact]
    [Trait("duration", "long")] // bounded by default; skip with --filter "duration!=long"
    public async Task Every_acknowledged_write_survives_repeated_sigkill_under_pipelined_load()
    {
        var seed = TestSettings.Seed("DST_CRASH_SEED");
        var kills = TestSettings.Integer("DST_CRASH_KILLS", 15);
        var replay = $"DST_CRASH_SEED={seed} DST_CRASH_KILLS={kills} dotnet test tests/Dst.Server.Tests --filter FullyQualifiedName~CrashTests";
        output.WriteLine($"seed {seed}, {kills} kills; replay with: {replay}");

        var random = new Random(seed);
        var ledgers = Enumerable.Range(0, Workers).Select(worker => new WorkerLedger(worker, SlotsPerWorker)).ToArray();
        await using var server = await ServerProcess.StartAsync("--appendfsync", "always");
        long acknowledged = 0;

        for (var round = 1; round <= kills; round++)
        {
            var target = Interlocked.Read(ref acknowledged) + random.Next(1, 3000);
            var loads = ledgers
                .Select(ledger => new WriteLoad(ledger, new Random(random.Next()), () => Interlocked.Increment(ref acknowledged)).RunAsync(server.Port))
                .ToArray();
            await Eventually.UntilAsync(
                () => Task.FromResult(Interlocked.Read(ref acknowledged) >= target || loads.Any(load => load.IsCompleted)),
                $"{target} acknowledged writes (round {round}, seed {seed})");
            await server.KillAsync();
            await Task.WhenAll(loads);

            await server.RestartAsync();
            var problems = await VerifyAsync(server, ledgers);
            if (problems.Count > 0)
            {
                throw new XunitException(
                    $"after kill {round} of {kills} (seed {seed}), the recovered server lost acknowledged writes:\n"
                    + string.Join('\n', problems)
                    + $"\nreplay with: {replay}\nserver output:\n{server.Output}");
            }
            output.WriteLine($"kill {round}: {Interlocked.Read(ref acknowledged)} writes acknowledged so far, all present after restart");
        }
    }

    /// <summary>Reads every worker's keys back, checks them against the ledgers, and that nothing else exists.</summary>
    private static async Task<List<string>> VerifyAsync(ServerProcess server, WorkerLedger[] ledgers)
    {
        await using var redis = await server.ConnectAsync();
        var problems = new List<string>();
        long expectedKeys = 0;
        foreach (var ledger in ledgers)
        {
            var keys = Enumerable.Range(0, ledger.Slots).Select(ledger.Key).ToArray();
            var values = (await redis.RunAsync(["MGET", .. keys])).AsList()
                .Select(value => value.Type == RespType.Null ? null : value.AsString())
                .ToArray();
            var counterReply = await redis.RunAsync("GET", ledger.CounterKey);
            long? counter = counterReply.Type == RespType.Null ? null : long.Parse(counterReply.AsString(), System.Globalization.CultureInfo.InvariantCulture);
            problems.AddRange(ledger.VerifyAndAdopt(values, counter));
            expectedKeys += values.Count(value => value is not null) + (counter is null ? 0 : 1);
        }
        var size = (await redis.RunAsync("DBSIZE")).AsInteger();
        if (size != expectedKeys)
        {
            problems.Add($"DBSIZE is {size}, but the workers' keys number {expectedKeys}");
        }
        RespAssert.Ok(await redis.RunAsync("SET", "crash:probe", "accepted"));
        RespAssert.Integer(1, await redis.RunAsync("DEL", "crash:probe"));
        return problems;
    }
}
