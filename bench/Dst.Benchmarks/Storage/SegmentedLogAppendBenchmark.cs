using BenchmarkDotNet.Attributes;
using Dst.Raft;
using Dst.Storage;

namespace Dst.Benchmarks.Storage;

/// <summary>
/// The log's write hot path: 64-byte entries appended with a Sync (write + fdatasync) every
/// <see cref="SyncEvery"/> appends, so the fsync cost is shared by that many entries (group commit).
/// Two ways in: from a span (copied into the tail cache's chunks) and from an <see cref="Entry"/>
/// (the cache keeps a reference). One operation is one append.
/// Run: dotnet run -c Release --project bench/Dst.Benchmarks -- --filter '*SegmentedLogAppend*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class SegmentedLogAppendBenchmark
{
    private const int AppendsPerInvoke = 256;

    // Keeps the benchmark's disk use bounded: past this many entries the log is compacted, which
    // deletes whole segments (a cost that lands in the measurement, once per million appends).
    private const ulong CompactEvery = 1 << 20;

    private readonly byte[] _payload = new byte[64];
    private string _directory = "";
    private SegmentedLog _log = null!;
    private ulong _next;

    [Params(1, 16, 256)]
    public int SyncEvery { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_payload);
        _directory = Path.Combine(Path.GetTempPath(), "dst-bench-log-" + Guid.NewGuid().ToString("N"));
        _log = SegmentedLog.Open(_directory, SegmentedLogOptions.Default);
        _next = _log.LastIndex;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = AppendsPerInvoke)]
    public void AppendSpan()
    {
        for (var i = 0; i < AppendsPerInvoke; i++)
        {
            _log.Append(1, ++_next, EntryType.Normal, _payload);
            AfterAppend();
        }
    }

    [Benchmark(OperationsPerInvoke = AppendsPerInvoke)]
    public void AppendEntry()
    {
        for (var i = 0; i < AppendsPerInvoke; i++)
        {
            _log.Append(new Entry(1, ++_next, EntryType.Normal, _payload));
            AfterAppend();
        }
    }

    private void AfterAppend()
    {
        if (_next % (ulong)SyncEvery == 0)
        {
            _log.Sync();
        }
        if (_next % CompactEvery == 0)
        {
            _log.CompactPrefix(_next);
        }
    }
}
