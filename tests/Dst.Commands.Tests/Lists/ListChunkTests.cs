using Dst.Commands.Lists;

namespace Dst.Commands.Tests.Lists;

/// <summary>The packed list node against a plain list of arrays, through random operations at both ends and in the middle.</summary>
public sealed class ListChunkTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void A_chunk_matches_a_list_model_through_random_operations(int seed)
    {
        var random = new Random(seed);
        var chunk = new ListChunk();
        var model = new List<byte[]>();
        for (var step = 0; step < 20_000; step++)
        {
            var roll = random.Next(100);
            var item = new byte[random.Next(10) == 0 ? random.Next(100, 3000) : random.Next(0, 12)];
            random.NextBytes(item);
            if (roll < 25)
            {
                chunk.PushFront(item);
                model.Insert(0, item);
            }
            else if (roll < 50)
            {
                chunk.PushBack(item);
                model.Add(item);
            }
            else if (roll < 60)
            {
                var index = random.Next(model.Count + 1);
                chunk.Insert(index, item);
                model.Insert(index, item);
            }
            else if (roll < 68 && model.Count > 0)
            {
                var index = random.Next(model.Count);
                chunk.Replace(index, item);
                model[index] = item;
            }
            else if (roll < 95 && model.Count > 0)
            {
                var index = random.Next(4) switch { 0 => 0, 1 => model.Count - 1, _ => random.Next(model.Count) };
                chunk.RemoveAt(index);
                model.RemoveAt(index);
            }
            else if (roll < 97 && model.Count > 0)
            {
                var at = random.Next(model.Count + 1);
                var upper = chunk.SplitFrom(at);
                AssertSame(model.GetRange(at, model.Count - at), upper, seed, step);
                chunk.AppendAll(upper);
            }
            else
            {
                chunk = chunk.Clone();
            }
            Assert.Equal(model.Count, chunk.Count);
            Assert.Equal(model.Sum(i => (long)ListFill.EntrySize(i.Length)), chunk.Bytes);
            if (step % 97 == 0)
            {
                AssertSame(model, chunk, seed, step);
            }
        }
        AssertSame(model, chunk, seed, -1);
    }

    [Fact]
    public void A_chunk_grown_only_at_one_end_moves_its_items_rather_than_growing_without_bound()
    {
        var chunk = new ListChunk();
        for (var i = 0; i < 10_000; i++)
        {
            chunk.PushFront([(byte)i]);
            chunk.RemoveAt(chunk.Count - 1);
        }
        Assert.Equal(0, chunk.Count);
        Assert.True(chunk.HeldBytes < 200, $"held {chunk.HeldBytes} bytes");
        for (var i = 0; i < 1000; i++)
        {
            chunk.PushFront([(byte)i, 1, 2]);
        }
        Assert.InRange(chunk.HeldBytes, 3000, 3 * 3000 + 8 * 1024);
        Assert.Equal([231, 1, 2], chunk[0].ToArray());
        Assert.Equal([0, 1, 2], chunk[999].ToArray());
    }

    private static void AssertSame(List<byte[]> expected, ListChunk actual, int seed, int step)
    {
        Assert.True(expected.Count == actual.Count, $"seed {seed} step {step}: {actual.Count} items, expected {expected.Count}");
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(actual[i].SequenceEqual(expected[i]), $"seed {seed} step {step}: item {i} differs");
        }
    }
}
