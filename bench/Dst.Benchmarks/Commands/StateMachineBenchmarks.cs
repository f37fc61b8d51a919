using System.Buffers;
using BenchmarkDotNet.Attributes;
using Dst.Commands;
using Dst.Protocol;

namespace Dst.Benchmarks.Commands;

/// <summary>
/// The storage hot path on a keyspace of 1,000,000 keys (<c>key:NNNNNNNN</c>, 16-byte values):
/// GET through <see cref="StateMachine.ExecuteRead"/>, SET, INCR and MSET through <see cref="StateMachine.Apply"/>
/// of pre-encoded entries (encoding is the connection's cost, measured separately).
/// Run: <c>dotnet run -c Release --project bench/Dst.Benchmarks -- --filter '*StateMachineBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
public class StateMachineBenchmarks
{
    private const int KeyCount = 1_000_000;
    private const long Now = BenchRequests.Now;

    private readonly ArrayBufferWriter<byte> _output = new(1 << 16);
    private StateMachine _machine = null!;
    private RespWriter _reply = null!;
    private CommandSpec _get = null!;
    private CommandArgs[] _getArgs = null!;
    private byte[][] _setEntries = null!;
    private byte[] _incrEntry = null!;
    private byte[] _msetEntry = null!;
    private int _next;
    private ulong _index;

    [GlobalSetup]
    public void Setup()
    {
        _machine = new StateMachine(CommandTable.Default, StateMachineOptions.Default);
        _reply = new RespWriter(_output);
        _get = CommandTable.Default.Lookup("get"u8)!;
        var value = "0123456789abcdef";
        var payload = new ArrayBufferWriter<byte>();
        for (var i = 0; i < KeyCount; i++)
        {
            payload.ResetWrittenCount();
            using var args = BenchRequests.Args("SET", Key(i), value);
            StateMachine.EncodeCommand(args, Now, payload);
            _machine.Apply(++_index, payload.WrittenSpan, reply: null);
        }
        // A spread of keys so lookups miss the CPU cache as they would under real load.
        var random = new Random(7);
        _getArgs = [.. Enumerable.Range(0, 4096).Select(_ => BenchRequests.Args("GET", Key(random.Next(KeyCount))))];
        _setEntries = [.. Enumerable.Range(0, 4096).Select(_ => BenchRequests.Encode("SET", Key(random.Next(KeyCount)), "fedcba9876543210"))];
        _incrEntry = BenchRequests.Encode("INCR", "counter");
        // redis-benchmark's MSET: ten pairs, all with its literal key (no -r) and a 3-byte value.
        _msetEntry = BenchRequests.Encode(["MSET", .. Enumerable.Repeat<string[]>(["key:__rand_int__", "VXK"], 10).SelectMany(pair => pair)]);
    }

    [Benchmark]
    public void Get()
    {
        _output.ResetWrittenCount();
        _machine.ExecuteRead(_get, _getArgs[_next++ & 4095], Now, _reply);
    }

    [Benchmark]
    public void Set()
    {
        _output.ResetWrittenCount();
        _machine.Apply(++_index, _setEntries[_next++ & 4095], _reply);
    }

    [Benchmark]
    public void Incr()
    {
        _output.ResetWrittenCount();
        _machine.Apply(++_index, _incrEntry, _reply);
    }

    [Benchmark]
    public void Mset()
    {
        _output.ResetWrittenCount();
        _machine.Apply(++_index, _msetEntry, _reply);
    }

    private static string Key(int i) => $"key:{i:D8}";
}
