using System.Buffers;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Dst.Commands;
using Dst.Protocol;

namespace Dst.Benchmarks.Commands;

/// <summary>
/// Hash hot paths on a 1,000,000-field hash (<c>field:NNNNNNN</c>, 8-byte values, the hashtable
/// encoding): HGET through <see cref="StateMachine.ExecuteRead"/>, HSET of an existing field and
/// HSET into a small listpack hash through <see cref="StateMachine.Apply"/> of pre-encoded entries.
/// The setup prints the managed bytes per field of the big hash (issue 3's memory target).
/// Run: <c>dotnet run -c Release --project bench/Dst.Benchmarks -- --filter '*HashBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
public class HashBenchmarks
{
    private const int FieldCount = 1_000_000;
    private const long Now = BenchRequests.Now;

    private readonly ArrayBufferWriter<byte> _output = new(1 << 16);
    private StateMachine _machine = null!;
    private RespWriter _reply = null!;
    private CommandSpec _hget = null!;
    private CommandArgs[] _hgetArgs = null!;
    private byte[][] _hsetEntries = null!;
    private byte[][] _smallHsetEntries = null!;
    private int _next;
    private ulong _index;

    [GlobalSetup]
    public void Setup()
    {
        _machine = new StateMachine(CommandTable.Default, StateMachineOptions.Default);
        _reply = new RespWriter(_output);
        _hget = CommandTable.Default.Lookup("hget"u8)!;
        var before = GC.GetTotalMemory(forceFullCollection: true);
        // 1000 fields an entry, as a client pipelining HSETs in batches would.
        for (var start = 0; start < FieldCount; start += 1000)
        {
            var words = new List<string> { "HSET", "big" };
            for (var i = start; i < start + 1000; i++)
            {
                words.Add(Field(i));
                words.Add($"{i % 100_000_000:D8}");
            }
            _machine.Apply(++_index, BenchRequests.Encode([.. words]), reply: null);
        }
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var rss = Process.GetCurrentProcess().WorkingSet64;
        Console.WriteLine($"// hash: {FieldCount} fields, {(after - before) / (double)FieldCount:F1} managed bytes/field, " +
            $"{(after - before) / 1048576.0:F1} MB heap, process RSS {rss / 1048576.0:F1} MB");
        var random = new Random(7);
        _hgetArgs = [.. Enumerable.Range(0, 4096).Select(_ => BenchRequests.Args("HGET", "big", Field(random.Next(FieldCount))))];
        _hsetEntries = [.. Enumerable.Range(0, 4096).Select(_ => BenchRequests.Encode("HSET", "big", Field(random.Next(FieldCount)), "87654321"))];
        _smallHsetEntries = [.. Enumerable.Range(0, 4096).Select(i => BenchRequests.Encode("HSET", "small", $"f{i % 64}", "value"))];
    }

    [Benchmark]
    public void HGet()
    {
        _output.ResetWrittenCount();
        _machine.ExecuteRead(_hget, _hgetArgs[_next++ & 4095], Now, _reply);
    }

    [Benchmark]
    public void HSetExistingField()
    {
        _output.ResetWrittenCount();
        _machine.Apply(++_index, _hsetEntries[_next++ & 4095], _reply);
    }

    [Benchmark]
    public void HSetSmallListpack()
    {
        _output.ResetWrittenCount();
        _machine.Apply(++_index, _smallHsetEntries[_next++ & 4095], _reply);
    }

    private static string Field(int i) => $"field:{i:D7}";
}
