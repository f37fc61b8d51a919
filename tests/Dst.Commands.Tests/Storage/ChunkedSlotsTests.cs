using Dst.Commands.Storage;

namespace Dst.Commands.Tests.Storage;

/// <summary>
/// Chunked slots share their chunks after <see cref="ChunkedSlots.ShareCopy"/>: neither side may
/// see the other's writes, whichever side writes, and a write copies only the chunk it lands in.
/// </summary>
public sealed class ChunkedSlotsTests
{
    private const int Capacity = 8 * ChunkedSlots.ChunkSize;

    [Fact]
    public void A_shared_copy_and_its_source_never_see_each_others_writes()
    {
        var source = Filled(Capacity);
        var copy = source.ShareCopy();
        copy.Set(3, 1, [1]);
        copy.Clear(ChunkedSlots.ChunkSize + 5);
        source.Set(2 * ChunkedSlots.ChunkSize, 2, [2]);
        source.SetEntry(7, [7]);

        Assert.Equal([1], copy.EntryAt(3));
        Assert.Equal(1u, copy.HashAt(3));
        Assert.Equal(0u, copy.HashAt(ChunkedSlots.ChunkSize + 5));
        Assert.Equal(EntryFor(2 * ChunkedSlots.ChunkSize), copy.EntryAt(2 * ChunkedSlots.ChunkSize));
        Assert.Equal(EntryFor(7), copy.EntryAt(7));

        Assert.Equal(EntryFor(3), source.EntryAt(3));
        Assert.Equal(HashFor(ChunkedSlots.ChunkSize + 5), source.HashAt(ChunkedSlots.ChunkSize + 5));
        Assert.Equal([2], source.EntryAt(2 * ChunkedSlots.ChunkSize));
        Assert.Equal([7], source.EntryAt(7));
    }

    [Fact]
    public void A_write_after_sharing_copies_only_its_chunk()
    {
        var source = Filled(Capacity);
        var copy = source.ShareCopy();
        var untouched = source.EntryAt(5 * ChunkedSlots.ChunkSize);
        copy.Set(0, 9, [9]);
        // Entries are shared by reference, in copied and uncopied chunks alike.
        Assert.Same(source.EntryAt(1), copy.EntryAt(1));
        Assert.Same(untouched, copy.EntryAt(5 * ChunkedSlots.ChunkSize));
        // A second copy of the copy still isolates all three.
        var third = copy.ShareCopy();
        third.Set(1, 4, [4]);
        Assert.Equal(EntryFor(1), copy.EntryAt(1));
        Assert.Equal(EntryFor(1), source.EntryAt(1));
        Assert.Equal([9], third.EntryAt(0));
    }

    [Fact]
    public void Small_tables_are_one_chunk_and_first_empty_finds_the_gap()
    {
        var slots = new ChunkedSlots(8);
        Assert.Equal(8, slots.Capacity);
        for (var slot = 0; slot < 8; slot++)
        {
            slots.Set(slot, HashFor(slot), EntryFor(slot));
        }
        Assert.Equal(-1, slots.FirstEmpty());
        slots.Clear(6);
        Assert.Equal(6, slots.FirstEmpty());
        var large = Filled(Capacity);
        large.Clear(3 * ChunkedSlots.ChunkSize + 17);
        Assert.Equal((3 * ChunkedSlots.ChunkSize) + 17, large.FirstEmpty());
    }

    private static ChunkedSlots Filled(int capacity)
    {
        var slots = new ChunkedSlots(capacity);
        for (var slot = 0; slot < capacity; slot++)
        {
            slots.Set(slot, HashFor(slot), EntryFor(slot));
        }
        return slots;
    }

    private static uint HashFor(int slot) => (uint)slot + 100;

    private static byte[] EntryFor(int slot) => BitConverter.GetBytes(slot);
}
