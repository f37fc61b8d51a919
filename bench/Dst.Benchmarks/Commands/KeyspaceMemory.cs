using System.Diagnostics;
using System.Text;
using BenchmarkDotNet.Attributes;
using Dst.Commands;

namespace Dst.Benchmarks.Commands;

/// <summary>
/// Bytes of managed heap per key for 1,000,000 <c>key:NNNNNNNN</c> keys with 16-byte values, the
/// issue's memory target (Redis: ~85 MB RSS). The figure is printed by the setup (GC heap after a
/// full collection, divided by the key count, plus the process working set); the benchmark itself
/// times a lookup on that keyspace.
/// Run: <c>dotnet run -c Release --project bench/Dst.Benchmarks -- --filter '*KeyspaceMemory*'</c>
/// </summary>
public class KeyspaceMemory
{
    private const int KeyCount = 1_000_000;
    private Keyspace _keyspace = null!;

    [GlobalSetup]
    public void Setup()
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        _keyspace = new Keyspace();
        var value = "0123456789abcdef"u8;
        Span<byte> key = stackalloc byte[12];
        for (var i = 0; i < KeyCount; i++)
        {
            Encoding.ASCII.GetBytes($"key:{i:D8}", key);
            _keyspace.SetString(key, value);
        }
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var rss = Process.GetCurrentProcess().WorkingSet64;
        Console.WriteLine($"// keyspace: {KeyCount} keys, {(after - before) / (double)KeyCount:F1} managed bytes/key, " +
            $"{(after - before) / 1048576.0:F1} MB heap, process RSS {rss / 1048576.0:F1} MB");
    }

    [Benchmark]
    public bool Exists() => _keyspace.Exists("key:00500000"u8);
}
