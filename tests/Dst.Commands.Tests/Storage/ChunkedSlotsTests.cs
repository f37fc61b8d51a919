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

    [Theory]
    [InlineData(1, 0)] // one chunk, random homes
    [InlineData(8, 0)]
    [InlineData(1, 24)] // homes crowded into the last slots, so runs wrap around the table's end
    [InlineData(4, 40)]
    [InlineData(4, 300)]
    public void Doubling_keeps_every_entry_reachable_by_linear_probing(int chunks, int crowdedHomes)
    {
        var capacity = chunks * ChunkedSlots.ChunkSize;
        for (var seed = 0; seed < 100; seed++)
        {
            var random = new Random(seed);
            var slots = new ChunkedSlots(capacity);
            var expected = new Dictionary<uint, byte[]>();
            var present = new List<uint>();
            // Fill to the 3/4 at which the tables grow, deleting now and then as the tables do
            // (backward shift), so runs have every shape an applied log can leave.
            while (expected.Count < capacity * 3 / 4)
            {
                var hash = RandomHash(random, capacity, crowdedHomes);
                if (hash == 0 || expected.ContainsKey(hash))
                {
                    continue;
                }
                expected[hash] = BitConverter.GetBytes(hash);
                present.Add(hash);
                slots.Place(hash, expected[hash]);
                if (random.Next(4) == 0)
                {
                    var at = random.Next(present.Count);
                    var victim = present[at];
                    present[at] = present[^1];
                    present.RemoveAt(present.Count - 1);
                    Remove(slots, victim);
                    expected.Remove(victim);
                }
            }
            AssertLinearProbingHolds(slots, expected);

            var doubled = slots.Doubled();

            Assert.Equal(2 * capacity, doubled.Capacity);
            AssertLinearProbingHolds(doubled, expected);
        }
    }

    [Fact]
    public void Doubling_a_table_shared_with_a_capture_leaves_the_capture_as_it_was()
    {
        var source = new ChunkedSlots(Capacity);
        var random = new Random(7);
        var expected = new Dictionary<uint, byte[]>();
        while (expected.Count < Capacity * 3 / 4)
        {
            var hash = (uint)random.Next(1, int.MaxValue);
            if (expected.TryAdd(hash, BitConverter.GetBytes(hash)))
            {
                source.Place(hash, expected[hash]);
            }
        }
        var capture = source.ShareCopy();
        var before = Enumerable.Range(0, Capacity).Select(slot => (capture.HashAt(slot), capture.EntryAt(slot))).ToArray();

        var doubled = source.Doubled();
        byte[] added = [5];
        doubled.Place(5, added);

        Assert.Equal(before, Enumerable.Range(0, Capacity).Select(slot => (capture.HashAt(slot), capture.EntryAt(slot))).ToArray());
        expected[5] = added;
        AssertLinearProbingHolds(doubled, expected);
    }

    [Fact]
    public void Only_tables_of_a_chunk_or_more_double_in_place()
    {
        Assert.Throws<InvalidOperationException>(() => new ChunkedSlots(ChunkedSlots.ChunkSize / 2).Doubled());
    }

    // A hash whose home (its low bits) is random, or one of the last `crowdedHomes` slots of the
    // table, with random high bits deciding which half of the doubled table it moves to.
    private static uint RandomHash(Random random, int capacity, int crowdedHomes)
    {
        var home = crowdedHomes == 0 ? random.Next(capacity) : capacity - 1 - random.Next(crowdedHomes);
        return (uint)home | ((uint)random.Next(1 << 20) * (uint)capacity);
    }

    private static void Remove(ChunkedSlots slots, uint hash)
    {
        var slot = (int)hash & (slots.Capacity - 1);
        while (slots.HashAt(slot) != hash)
        {
            slot = (slot + 1) & (slots.Capacity - 1);
        }
        slots.RemoveAt(slot);
    }

    // Every entry is present once, with its own hash, and no empty slot lies between an entry and its home.
    private static void AssertLinearProbingHolds(ChunkedSlots slots, Dictionary<uint, byte[]> expected)
    {
        var mask = slots.Capacity - 1;
        var seen = 0;
        for (var slot = 0; slot < slots.Capacity; slot++)
        {
            var hash = slots.HashAt(slot);
            if (hash == 0)
            {
                Assert.Null(slots.EntryAt(slot));
                continue;
            }
            seen++;
            Assert.Same(expected[hash], slots.EntryAt(slot));
            for (var between = (int)hash & mask; between != slot; between = (between + 1) & mask)
            {
                Assert.True(slots.HashAt(between) != 0, $"slot {between} is empty between home {(int)hash & mask} and slot {slot}");
            }
        }
        Assert.Equal(expected.Count, seen);
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
