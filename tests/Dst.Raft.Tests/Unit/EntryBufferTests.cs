using Dst.Raft.Log;

namespace Dst.Raft.Tests.Unit;

public sealed class EntryBufferTests
{
    private static Entry At(ulong index) => new(1, index, EntryType.Normal, new byte[] { (byte)index });

    [Fact]
    public void Random_appends_and_removals_match_a_list()
    {
        var random = new Random(42);
        var buffer = new EntryBuffer();
        var model = new List<Entry>();
        ulong next = 1;
        for (var step = 0; step < 20_000; step++)
        {
            switch (random.Next(4))
            {
                case 0:
                    var run = Enumerable.Range(0, random.Next(1, 40)).Select(_ => At(next++)).ToArray();
                    buffer.Append(run);
                    model.AddRange(run);
                    break;
                case 1:
                    var one = At(next++);
                    buffer.Append(one);
                    model.Add(one);
                    break;
                case 2:
                    var consumed = random.Next(model.Count + 1);
                    buffer.RemoveFirst(consumed);
                    model.RemoveRange(0, consumed);
                    break;
                default:
                    var kept = random.Next(model.Count + 1);
                    buffer.Truncate(kept);
                    model.RemoveRange(kept, model.Count - kept);
                    break;
            }
            Assert.Equal(model.Count, buffer.Count);
            Assert.True(buffer.Span.SequenceEqual(model.ToArray()), $"diverged at step {step}");
        }
        Assert.Equal(model, buffer);
    }

    [Fact]
    public void Indexer_refuses_positions_outside_the_live_entries()
    {
        var buffer = new EntryBuffer();
        buffer.Append([At(1), At(2), At(3)]);
        buffer.RemoveFirst(1);
        Assert.Equal(2ul, buffer[0].Index);
        Assert.Equal(3ul, buffer[1].Index);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer[2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer[-1]);
    }
}
