using System.Text;
using Dst.Commands.SortedSets;

namespace Dst.Commands.Tests.SortedSets;

/// <summary>The counted B+tree against a sorted list: ranks, positions and bounds through many splits and merges.</summary>
public sealed class ScoreTreeTests
{
    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public void Ranks_cursors_and_bounds_match_a_sorted_list(int seed)
    {
        var random = new Random(seed);
        var tree = new ScoreTree();
        var model = new List<(double Score, string Member)>();
        for (var step = 0; step < 40_000; step++)
        {
            // Grow to a few thousand members (three levels), then shrink back through merges.
            var growing = step < 25_000 ? random.Next(10) < 7 : random.Next(10) < 3;
            if (growing || model.Count == 0)
            {
                InsertUnlessPresent(tree, model, (random.Next(-500, 500), $"m{random.Next(100_000)}"));
            }
            else
            {
                var at = random.Next(model.Count);
                var (score, member) = model[at];
                Assert.Equal(at, tree.Rank(score, Encoding.ASCII.GetBytes(member)));
                var removed = random.Next(2) == 0 ? tree.RemoveAt(at) : tree.Remove(score, Encoding.ASCII.GetBytes(member));
                Assert.Equal(member, Encoding.ASCII.GetString(SortedSetEntry.Member(removed!)));
                model.RemoveAt(at);
            }
            Assert.Equal(model.Count, tree.Count);
            if (step % 997 == 0 && model.Count > 0)
            {
                AssertSameOrder(tree, model);
                var bound = (double)random.Next(-500, 500);
                Assert.Equal(model.Count(item => item.Score < bound), tree.CountBefore(new Below(bound)));
            }
        }
        Assert.Equal(-1, tree.Rank(1e9, "absent"u8));
    }

    /// <summary>
    /// Clones share nodes; each tree copies a shared node before changing it. Three trees changed at
    /// random after cloning (through splits and merges) must each keep their own model's order.
    /// </summary>
    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    public void Clones_changed_at_random_keep_their_own_order(int seed)
    {
        var random = new Random(seed);
        var trees = new List<ScoreTree> { new() };
        var models = new List<List<(double Score, string Member)>> { new() };
        for (var step = 0; step < 30_000; step++)
        {
            if (step is 5_000 or 15_000)
            {
                var source = random.Next(trees.Count);
                trees.Add(trees[source].Clone());
                models.Add([.. models[source]]);
            }
            var which = random.Next(trees.Count);
            var (tree, model) = (trees[which], models[which]);
            if (random.Next(10) < (step < 20_000 ? 7 : 3) || model.Count == 0)
            {
                InsertUnlessPresent(tree, model, (random.Next(-300, 300), $"m{random.Next(50_000)}"));
            }
            else
            {
                var at = random.Next(model.Count);
                var removed = tree.RemoveAt(at);
                Assert.Equal(model[at].Member, Encoding.ASCII.GetString(SortedSetEntry.Member(removed)));
                model.RemoveAt(at);
            }
        }
        for (var i = 0; i < trees.Count; i++)
        {
            Assert.Equal(models[i].Count, trees[i].Count);
            AssertSameOrder(trees[i], models[i]);
        }
    }

    /// <summary>Orders the model as the tree orders entries: by score, then member bytes.</summary>
    private static readonly Comparer<(double Score, string Member)> ModelOrder = Comparer<(double Score, string Member)>.Create((a, b) =>
        a.Score != b.Score ? a.Score.CompareTo(b.Score) : string.CompareOrdinal(a.Member, b.Member));

    /// <summary>Inserts <paramref name="item"/> into both the tree and the sorted model, unless the model already holds it.</summary>
    private static void InsertUnlessPresent(ScoreTree tree, List<(double Score, string Member)> model, (double Score, string Member) item)
    {
        var at = model.BinarySearch(item, ModelOrder);
        if (at < 0)
        {
            model.Insert(~at, item);
            tree.Insert(SortedSetEntry.Create(Encoding.ASCII.GetBytes(item.Member), item.Score));
        }
    }

    private static void AssertSameOrder(ScoreTree tree, List<(double Score, string Member)> model)
    {
        var cursor = tree.First;
        foreach (var (score, member) in model)
        {
            Assert.True(cursor.IsValid);
            Assert.Equal((score, member), (SortedSetEntry.Score(cursor.Entry), Encoding.ASCII.GetString(SortedSetEntry.Member(cursor.Entry))));
            cursor.MoveNext();
        }
        Assert.False(cursor.IsValid);
        cursor = tree.At(model.Count - 1);
        for (var i = model.Count - 1; i >= 0; i--)
        {
            Assert.Equal(model[i].Member, Encoding.ASCII.GetString(SortedSetEntry.Member(cursor.Entry)));
            cursor.MovePrevious();
        }
        Assert.False(cursor.IsValid);
    }

    private readonly struct Below(double bound) : IEntryBound
    {
        public bool IsBefore(byte[] entry) => SortedSetEntry.Score(entry) < bound;
    }
}
