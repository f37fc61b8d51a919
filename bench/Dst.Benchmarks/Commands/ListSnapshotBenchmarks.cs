using BenchmarkDotNet.Attributes;
using Dst.Commands;

namespace Dst.Benchmarks.Commands;

/// <summary>
/// Writing and loading a snapshot of one long list (1M three-byte items, as redis-benchmark's LPUSH
/// leaves it): the automatic snapshots rewrite such a list once per its size in log, so its cost per
/// item is a share of every push. Run:
/// <c>dotnet run -c Release --project bench/Dst.Benchmarks -- --filter '*ListSnapshotBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
public class ListSnapshotBenchmarks
{
    private const int Items = 1_000_000;
    private const int ItemsPerPush = 1000;

    private StateMachine _machine = null!;
    private byte[] _snapshot = null!;

    [GlobalSetup]
    public void Setup()
    {
        _machine = new StateMachine(CommandTable.Default, StateMachineOptions.Default);
        var push = BenchRequests.Encode(["RPUSH", "mylist", .. Enumerable.Repeat("xxx", ItemsPerPush)]);
        for (var i = 1; i <= Items / ItemsPerPush; i++)
        {
            _machine.Apply((ulong)i, push, reply: null);
        }
        using var stream = new MemoryStream();
        _machine.WriteSnapshot(stream);
        _snapshot = stream.ToArray();
    }

    [Benchmark]
    public void Write() => _machine.WriteSnapshot(Stream.Null);

    [Benchmark]
    public void Load() => new StateMachine(CommandTable.Default, StateMachineOptions.Default).LoadSnapshot(new MemoryStream(_snapshot));
}
