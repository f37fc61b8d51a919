using System.Buffers;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Dst.Commands;
using Dst.Commands.SortedSets;
using Dst.Protocol;

namespace Dst.Benchmarks.Commands;

/// <summary>
/// Sorted sets at the scale: one set of 1,000,000 members (<c>member:NNNNNNN</c>, score
/// 1.5 x N, the same data as the Redis comparison), built through applied ZADD entries. The setup
/// prints managed bytes per member (GC heap after a full collection); the benchmarks time ZADD
/// (updating a random member's score), ZSCORE, ZRANK, ZRANGE 0 99 WITHSCORES and ZPOPMIN + ZADD.
/// Run: <c>dotnet run -c Release --project bench/Dst.Benchmarks -- --filter '*SortedSetBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
public class SortedSetBenchmarks
{
    private const int Members = 1_000_000;
    private const long Now = BenchRequests.Now;

    private readonly ArrayBufferWriter<byte> _output = new(1 << 16);
    private StateMachine _machine = null!;
    private RespWriter _reply = null!;
    private byte[][] _updates = null!;
    private CommandSpec _zscore = null!;
    private CommandSpec _zrank = null!;
    private CommandSpec _zrange = null!;
    private CommandArgs[] _scoreArgs = null!;
    private CommandArgs[] _rankArgs = null!;
    private CommandArgs _rangeArgs = null!;
    private byte[] _popMin = null!;
    private byte[] _pushBack = null!;
    private int _next;
    private ulong _index;

    [GlobalSetup]
    public void Setup()
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        _machine = new StateMachine(CommandTable.Default, StateMachineOptions.Default);
        _reply = new RespWriter(_output);
        for (var i = 0; i < Members; i++)
        {
            _machine.Apply(++_index, BenchRequests.Encode("ZADD", "z", (i * 1.5).ToString(System.Globalization.CultureInfo.InvariantCulture), Member(i)), reply: null);
        }
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var set = (SortedSetObject)_machine.Keyspace.ObjectAt(_machine.Keyspace.Find("z"u8));
        Console.WriteLine($"// sorted set: {Members} members ({set.EncodingName}), {(after - before) / (double)Members:F1} managed bytes/member, " +
            $"{(after - before) / 1048576.0:F1} MB heap, estimate {set.EstimateMemoryUsage() / (double)Members:F1} bytes/member, " +
            $"process RSS {Process.GetCurrentProcess().WorkingSet64 / 1048576.0:F1} MB");
        var random = new Random(9);
        _updates = [.. Enumerable.Range(0, 4096).Select(_ => BenchRequests.Encode("ZADD", "z", random.Next(Members).ToString(), Member(random.Next(Members))))];
        _zscore = CommandTable.Default.Lookup("zscore")!;
        _zrank = CommandTable.Default.Lookup("zrank")!;
        _zrange = CommandTable.Default.Lookup("zrange")!;
        _scoreArgs = [.. Enumerable.Range(0, 4096).Select(_ => BenchRequests.Args("ZSCORE", "z", Member(random.Next(Members))))];
        _rankArgs = [.. Enumerable.Range(0, 4096).Select(_ => BenchRequests.Args("ZRANK", "z", Member(random.Next(Members))))];
        _rangeArgs = BenchRequests.Args("ZRANGE", "z", "0", "99", "WITHSCORES");
        _popMin = BenchRequests.Encode("ZPOPMIN", "z");
        _pushBack = BenchRequests.Encode("ZADD", "z", "-1", "member:popped");
    }

    [Benchmark]
    public void ZAddUpdate()
    {
        _output.ResetWrittenCount();
        _machine.Apply(++_index, _updates[_next++ & 4095], _reply);
    }

    [Benchmark]
    public void ZScore()
    {
        _output.ResetWrittenCount();
        _machine.ExecuteRead(_zscore, _scoreArgs[_next++ & 4095], Now, _reply);
    }

    [Benchmark]
    public void ZRank()
    {
        _output.ResetWrittenCount();
        _machine.ExecuteRead(_zrank, _rankArgs[_next++ & 4095], Now, _reply);
    }

    [Benchmark]
    public void ZRange100WithScores()
    {
        _output.ResetWrittenCount();
        _machine.ExecuteRead(_zrange, _rangeArgs, Now, _reply);
    }

    [Benchmark]
    public void ZPopMinThenZAdd()
    {
        _output.ResetWrittenCount();
        _machine.Apply(++_index, _popMin, _reply);
        _machine.Apply(++_index, _pushBack, _reply);
    }

    private static string Member(int i) => $"member:{i:D7}";
}
