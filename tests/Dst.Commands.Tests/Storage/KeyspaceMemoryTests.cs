using System.Text;
using Xunit.Abstractions;

namespace Dst.Commands.Tests.Storage;

/// <summary>
/// The compact layout's footprint: 1,000,000 <c>key:NNNNNNNN</c> keys with 16-byte values. Redis
/// needs ~85 MB RSS for this; the target for the whole server is 1.5x that.
/// The heap size is process-wide, so this runs alone (see <see cref="HeapMeasurementCollection"/>).
/// </summary>
[Collection(HeapMeasurementCollection.Name)]
public sealed class KeyspaceMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public void A_million_small_strings_cost_under_90_bytes_each()
    {
        const int keys = 1_000_000;
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var keyspace = new Keyspace();
        Span<byte> key = stackalloc byte[12];
        for (var i = 0; i < keys; i++)
        {
            Encoding.ASCII.GetBytes($"key:{i:D8}", key);
            keyspace.SetString(key, "0123456789abcdef"u8);
        }
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var perKey = (after - before) / (double)keys;
        output.WriteLine($"{perKey:F1} managed bytes per key, {(after - before) / 1048576.0:F1} MB for {keys} keys");
        // 56-byte packed entry + 24 bytes of table slots at the post-resize load factor: ~80.
        Assert.InRange(perKey, 50, 90);
        Assert.Equal(keys, keyspace.Count);
        GC.KeepAlive(keyspace);
    }
}

/// <summary>
/// Tests that read the process-wide heap size: xunit runs this collection after the parallel ones,
/// with nothing else running, so other tests' allocations do not count against the measurement.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasurementCollection
{
    public const string Name = "heap measurement";
}
