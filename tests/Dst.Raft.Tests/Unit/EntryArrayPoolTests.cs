namespace Dst.Raft.Tests.Unit;

public sealed class EntryArrayPoolTests
{
    private static Entry Payload(ulong index) => new(1, index, EntryType.Normal, new byte[] { 1, 2, 3 });

    [Fact]
    public void Rented_arrays_have_exactly_the_asked_length()
    {
        var pool = new EntryArrayPool();
        Assert.Empty(pool.Rent(0));
        Assert.Equal(7, pool.Rent(7).Length);
    }

    [Fact]
    public void A_returned_array_is_cleared_and_rented_again_for_the_same_length_only()
    {
        var pool = new EntryArrayPool();
        var array = pool.Rent(4);
        array[0] = Payload(1);
        pool.Return(array);
        Assert.Equal(4, pool.PooledEntries);
        // An idle array must not keep entry data alive.
        Assert.Equal(default, array[0]);

        Assert.NotSame(array, pool.Rent(5));
        Assert.Same(array, pool.Rent(4));
        Assert.Equal(0, pool.PooledEntries);
        Assert.NotSame(array, pool.Rent(4));
    }

    [Fact]
    public void Returns_beyond_the_cap_are_left_to_the_garbage_collector()
    {
        var pool = new EntryArrayPool(maxPooledEntries: 10);
        var first = new Entry[6];
        var second = new Entry[6];
        pool.Return(first);
        pool.Return(second);
        Assert.Equal(6, pool.PooledEntries);
        Assert.Same(first, pool.Rent(6));
        Assert.NotSame(second, pool.Rent(6));
    }
}
