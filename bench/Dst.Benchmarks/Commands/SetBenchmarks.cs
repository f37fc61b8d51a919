using System.Buffers;
using BenchmarkDotNet.Attributes;
using Dst.Commands;
using Dst.Protocol;

namespace Dst.Benchmarks.Commands;

/// <summary>
/// Set hot paths through the state machine: SADD of a new member to a 100,000-member hashtable set
/// paired with the SPOP that takes one back out (so the set keeps its size), SADD into a small
/// intset, and SISMEMBER on the big set.
/// Run: <c>dotnet run -c Release --project bench/Dst.Benchmarks -- --filter '*SetBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
public class SetBenchmarks
{
    private const int MemberCount = 100_000;
    private const long Now = BenchRequests.Now;

    private readonly ArrayBufferWriter<byte> _output = new(1 << 16);
    private StateMachine _machine = null!;
    private RespWriter _reply = null!;
    private CommandSpec _sismember = null!;
    private CommandArgs[] _sismemberArgs = null!;
    private byte[][] _saddEntries = null!;
    private byte[][] _intsetEntries = null!;
    private byte[] _spopEntry = null!;
    private int _next;
    private ulong _index;

    [GlobalSetup]
    public void Setup()
    {
        _machine = new StateMachine(CommandTable.Default, StateMachineOptions.Default);
        _reply = new RespWriter(_output);
        _sismember = CommandTable.Default.Lookup("sismember"u8)!;
        for (var start = 0; start < MemberCount; start += 1000)
        {
            string[] words = ["SADD", "big", .. Enumerable.Range(start, 1000).Select(Member)];
            _machine.Apply(++_index, BenchRequests.Encode(words), reply: null);
        }
        var random = new Random(7);
        _sismemberArgs = [.. Enumerable.Range(0, 4096).Select(_ => BenchRequests.Args("SISMEMBER", "big", Member(random.Next(MemberCount))))];
        _saddEntries = [.. Enumerable.Range(0, 4096).Select(i => BenchRequests.Encode("SADD", "big", $"new:{i}"))];
        _intsetEntries = [.. Enumerable.Range(0, 4096).Select(i => BenchRequests.Encode("SADD", "ints", (i % 256).ToString()))];
        _spopEntry = BenchRequests.Encode("SPOP", "big");
    }

    [Benchmark]
    public void SIsMember()
    {
        _output.ResetWrittenCount();
        _machine.ExecuteRead(_sismember, _sismemberArgs[_next++ & 4095], Now, _reply);
    }

    [Benchmark(OperationsPerInvoke = 2)]
    public void SAddThenSPop()
    {
        _output.ResetWrittenCount();
        _machine.Apply(++_index, _saddEntries[_next++ & 4095], _reply);
        _machine.Apply(++_index, _spopEntry, _reply);
    }

    [Benchmark]
    public void SAddIntset()
    {
        _output.ResetWrittenCount();
        _machine.Apply(++_index, _intsetEntries[_next++ & 4095], _reply);
    }

    private static string Member(int i) => $"member:{i:D7}";
}
