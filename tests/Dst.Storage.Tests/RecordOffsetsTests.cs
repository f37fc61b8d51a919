namespace Dst.Storage.Tests;

public sealed class RecordOffsetsTests
{
    [Fact]
    public void Offsets_read_back_across_blocks_and_after_truncation()
    {
        var offsets = new RecordOffsets();
        const int count = 3 * 16384 + 7; // past two block boundaries
        for (var i = 0; i < count; i++)
        {
            offsets.Add(i * 3);
        }
        Assert.Equal(count, offsets.Count);
        foreach (var position in new[] { 0, 16383, 16384, 32768, count - 1 })
        {
            Assert.Equal(position * 3, offsets[position]);
        }

        offsets.Truncate(16384); // exactly a block: the next add reuses the second block
        Assert.Throws<ArgumentOutOfRangeException>(() => offsets[16384]);
        offsets.Add(-1);
        Assert.Equal(-1, offsets[16384]);
        Assert.Equal(16383 * 3, offsets[16383]);
        Assert.Equal(16385, offsets.Count);
    }

    [Fact]
    public void Truncating_beyond_the_count_is_refused()
    {
        var offsets = new RecordOffsets();
        offsets.Add(0);
        Assert.Throws<ArgumentOutOfRangeException>(() => offsets.Truncate(2));
        offsets.Truncate(0);
        Assert.Throws<ArgumentOutOfRangeException>(() => offsets[0]);
    }
}
