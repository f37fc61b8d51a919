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
        var comparer = Comparer<(double Score, string Member)>.Create((a, b) =>
            a.Score != b.Score ? a.Score.CompareTo(b.Score) : string.CompareOrdinal(a.Member, b.Member));
        for (var step = 0; step < 40_000; step++)
        {
            // Grow to a few thousand members (three levels), then shrink back through merges.
            var growing = step < 25_000 ? random.Next(10) < 7 : random.Next(10) < 3;
            if (growing || model.Count == 0)
            {
                var item = ((double)random.Next(-500, 500), $"m{random.Next(100_000)}");
                var at = model.BinarySearch(item, comparer);
                if (at < 0)
                {
                    model.Insert(~at, item);
                    tree.Insert(SortedSetEntry.Create(Encoding.ASCII.GetBytes(item.Item2), item.Item1));
                }
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
