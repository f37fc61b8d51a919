using System.Buffers;
using BenchmarkDotNet.Attributes;
using Dst.Commands;
using Dst.Protocol;

namespace Dst.Benchmarks.Commands;

/// <summary>
/// The hot list commands through the state machine: LPUSH + RPOP (a queue in steady state, 10,000
/// items, quicklist) as applied entries, and LRANGE 0 99 and LINDEX in the middle as reads.
/// Run: <c>dotnet run -c Release --project bench/Dst.Benchmarks -- --filter '*ListBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
public class ListBenchmarks
{
    private const long Now = BenchRequests.Now;

    private readonly ArrayBufferWriter<byte> _output = new(1 << 16);
    private StateMachine _machine = null!;
    private RespWriter _reply = null!;
    private byte[] _push = null!;
    private byte[] _pop = null!;
    private CommandSpec _lrange = null!;
    private CommandArgs _lrangeArgs = null!;
    private CommandSpec _lindex = null!;
    private CommandArgs _lindexArgs = null!;
    private ulong _index;

    [GlobalSetup]
    public void Setup()
    {
        _machine = new StateMachine(CommandTable.Default, StateMachineOptions.Default);
        _reply = new RespWriter(_output);
        for (var i = 0; i < 10_000; i++)
        {
            _machine.Apply(++_index, BenchRequests.Encode("RPUSH", "queue", $"item:{i:D8}"), reply: null);
        }
        _push = BenchRequests.Encode("LPUSH", "queue", "item:new00000");
        _pop = BenchRequests.Encode("RPOP", "queue");
        _lrange = CommandTable.Default.Lookup("lrange")!;
        _lrangeArgs = BenchRequests.Args("LRANGE", "queue", "0", "99");
        _lindex = CommandTable.Default.Lookup("lindex")!;
        _lindexArgs = BenchRequests.Args("LINDEX", "queue", "5000");
    }

    [Benchmark]
    public void LPushThenRPop()
    {
        _output.ResetWrittenCount();
        _machine.Apply(++_index, _push, _reply);
        _machine.Apply(++_index, _pop, _reply);
    }

    [Benchmark]
    public void LRange100()
    {
        _output.ResetWrittenCount();
        _machine.ExecuteRead(_lrange, _lrangeArgs, Now, _reply);
    }

    [Benchmark]
    public void LIndexMiddle()
    {
        _output.ResetWrittenCount();
        _machine.ExecuteRead(_lindex, _lindexArgs, Now, _reply);
    }
}
