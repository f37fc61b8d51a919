namespace Dst.Storage.Tests;

public sealed class RecordOffsetsTests
{
    [Fact]
    public void Offsets_read_back_across_blocks_and_after_truncation()
    {
        var offsets = new RecordOffsets(new OffsetBlockPool());
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
        var offsets = new RecordOffsets(new OffsetBlockPool());
        offsets.Add(0);
        Assert.Throws<ArgumentOutOfRangeException>(() => offsets.Truncate(2));
        offsets.Truncate(0);
        Assert.Throws<ArgumentOutOfRangeException>(() => offsets[0]);
    }

    [Fact]
    public void Released_blocks_serve_the_next_offsets_without_their_old_values_showing()
    {
        var pool = new OffsetBlockPool();
        var first = new RecordOffsets(pool);
        for (var i = 0; i < 16384 + 1; i++)
        {
            first.Add(i + 1000);
        }
        first.Release();
        Assert.Equal(0, first.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => first[0]);
        Assert.Equal(2, pool.Count);

        var second = new RecordOffsets(pool);
        second.Add(7);
        Assert.Equal(1, pool.Count);
        Assert.Equal(1, second.Count);
        Assert.Equal(7, second[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => second[1]); // the stale 1001 behind it stays out of reach
    }

    [Fact]
    public void The_pool_keeps_at_most_its_limit_of_blocks()
    {
        var pool = new OffsetBlockPool();
        for (var i = 0; i < OffsetBlockPool.MaxPooledBlocks + 5; i++)
        {
            pool.Return(new int[RecordOffsets.BlockLength]);
        }
        Assert.Equal(OffsetBlockPool.MaxPooledBlocks, pool.Count);
    }
}
