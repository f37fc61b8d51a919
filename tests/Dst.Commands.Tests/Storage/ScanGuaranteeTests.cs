using System.Text;

namespace Dst.Commands.Tests.Storage;

/// <summary>
/// SCAN's guarantee (Redis's): every key present from the start to the end of a full scan is
/// returned at least once, even when the table grows or shrinks between calls.
/// </summary>
public sealed class ScanGuaranteeTests
{
    [Theory]
    [InlineData(1, 20_000, 0)]
    [InlineData(2, 0, 9_000)]
    [InlineData(3, 20_000, 8_000)]
    public void Keys_present_throughout_are_returned_across_resizes(int seed, int added, int removed)
    {
        var keyspace = new Keyspace();
        keyspace.BeginCommandForTests(0);
        var stable = Enumerable.Range(0, 1_000).Select(i => $"stable:{i}").ToList();
        var transient = Enumerable.Range(0, removed).Select(i => $"transient:{i}").ToList();
        foreach (var key in stable.Concat(transient))
        {
            keyspace.SetString(Encoding.UTF8.GetBytes(key), "v"u8);
        }
        var random = new Random(seed);
        var seen = new HashSet<string>();
        var items = new List<object>();
        ulong cursor = 0;
        var addedSoFar = 0;
        var removedSoFar = 0;
        var capacities = new HashSet<int>();
        do
        {
            items.Clear();
            cursor = keyspace.Scan(cursor, random.Next(1, 30), items);
            seen.UnionWith(items.Select(item => Encoding.UTF8.GetString(Keyspace.KeyOf(item))));
            // Between calls, grow or shrink the table by bursts of other keys.
            for (var i = 0; i < 200 && addedSoFar < added; i++, addedSoFar++)
            {
                keyspace.SetString(Encoding.UTF8.GetBytes($"added:{addedSoFar}"), "v"u8);
            }
            for (var i = 0; i < 200 && removedSoFar < removed; i++, removedSoFar++)
            {
                Assert.True(keyspace.Delete(Encoding.UTF8.GetBytes(transient[removedSoFar])));
            }
            capacities.Add(keyspace.TableCapacityForTests);
        }
        while (cursor != 0);
        Assert.True(capacities.Count > 1, $"the table resized during the scan (capacities: {string.Join(",", capacities)})");
        Assert.DoesNotContain(stable, key => !seen.Contains(key));
    }

    [Fact]
    public void A_scan_without_changes_returns_each_key_exactly_once()
    {
        var keyspace = new Keyspace();
        keyspace.BeginCommandForTests(0);
        for (var i = 0; i < 5_000; i++)
        {
            keyspace.SetString(Encoding.UTF8.GetBytes($"k{i}"), "v"u8);
        }
        var seen = new List<string>();
        var items = new List<object>();
        ulong cursor = 0;
        do
        {
            items.Clear();
            cursor = keyspace.Scan(cursor, 10, items);
            seen.AddRange(items.Select(item => Encoding.UTF8.GetString(Keyspace.KeyOf(item))));
        }
        while (cursor != 0);
        Assert.Equal(5_000, seen.Count);
        Assert.Equal(5_000, seen.Distinct().Count());
    }
}
