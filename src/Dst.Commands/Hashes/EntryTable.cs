using System.Numerics;
using Dst.Commands.Sets;
using Dst.Commands.Storage;

namespace Dst.Commands.Hashes;

/// <summary>
/// The "hashtable" encoding of hashes and sets: open addressing with linear probing over a
/// power-of-two number of slots, backward-shift deletion, holding <see cref="PackedEntry"/> arrays
/// looked up by span. A slot costs 12 bytes (a 32-bit hash, 0 = empty, and a reference); an element
/// costs its one entry array, so a hash field with its value is one heap object, not a key array, a
/// value array and a dictionary node. The slots live in <see cref="ChunkedSlots"/>, so
/// <see cref="ShareCopy"/> (copy-on-write while a snapshot capture is open) copies only the chunks
/// written afterwards.
/// <para>
/// Hashes use <see cref="KeyHash"/>'s fixed constants and every resize is a function of the
/// operations, so replicas that apply the same log lay the table out identically; snapshots keep
/// the layout (see <see cref="SnapshotOrder"/>), so SPOP and SSCAN agree across replicas too.
/// SCAN visits home buckets with Redis's reverse-binary cursor, as the keyspace table does.
/// </para>
/// </summary>
internal sealed class EntryTable
{
    private const int MinCapacity = 8;

    private ChunkedSlots _slots;
    private int _mask;

    private EntryTable(int capacity)
        : this(new ChunkedSlots(capacity))
    {
    }

    private EntryTable(ChunkedSlots slots)
    {
        _slots = slots;
        _mask = slots.Capacity - 1;
    }

    public int Count { get; private set; }

    public int Capacity => _slots.Capacity;

    /// <summary>Sum of the entry arrays' data bytes, kept up to date for MEMORY USAGE.</summary>
    public long EntryHeapBytes { get; private set; }

    /// <summary>An empty table sized for <paramref name="expectedCount"/> entries (a conversion from a compact encoding).</summary>
    public static EntryTable ForCount(int expectedCount) => new(CapacityFor(expectedCount));

    /// <summary>An empty table of exactly <paramref name="capacity"/> slots, for loading a snapshot.</summary>
    public static EntryTable WithCapacity(int capacity)
    {
        if (capacity < MinCapacity || !BitOperations.IsPow2(capacity))
        {
            throw new InvalidDataException($"snapshot table capacity {capacity} is not a power of two of at least {MinCapacity}");
        }
        return new EntryTable(capacity);
    }

    public int Find(ReadOnlySpan<byte> key) => Find(key, KeyHash.Compute(key));

    /// <summary>The slot holding <paramref name="key"/>, or -1.</summary>
    public int Find(ReadOnlySpan<byte> key, uint hash)
    {
        var slots = _slots;
        var slot = (int)hash & _mask;
        while (true)
        {
            var stored = slots.HashAt(slot);
            if (stored == 0)
            {
                return -1;
            }
            if (stored == hash && PackedEntry.Key(slots.EntryAt(slot)!).SequenceEqual(key))
            {
                return slot;
            }
            slot = (slot + 1) & _mask;
        }
    }

    public byte[] EntryAt(int slot) => _slots.EntryAt(slot)!;

    public bool IsOccupied(int slot) => _slots.HashAt(slot) != 0;

    /// <summary>Adds an entry whose key is known to be absent, growing at 3/4 full.</summary>
    public void Add(uint hash, byte[] entry)
    {
        if ((Count + 1) * 4L > Capacity * 3L)
        {
            Resize(Capacity * 2);
        }
        AddWithoutGrowing(hash, entry);
    }

    /// <summary>Adds an entry of a snapshot; the table never grows while loading, so the layout is the one written.</summary>
    public void AddLoaded(byte[] entry)
    {
        var key = PackedEntry.Key(entry);
        var hash = KeyHash.Compute(key);
        if ((Count + 1) * 4L > Capacity * 3L || Find(key, hash) >= 0)
        {
            throw new InvalidDataException("snapshot table is overfull or holds an element twice");
        }
        AddWithoutGrowing(hash, entry);
    }

    /// <summary>Replaces the entry in a slot with one for the same key (a new value).</summary>
    public void ReplaceAt(int slot, byte[] entry)
    {
        EntryHeapBytes += PackedEntry.HeapSize(entry) - PackedEntry.HeapSize(EntryAt(slot));
        _slots.SetEntry(slot, entry);
    }

    /// <summary>Removes the entry in <paramref name="slot"/>; later entries of the probe run shift back into the gap.</summary>
    public void RemoveAt(int slot)
    {
        EntryHeapBytes -= PackedEntry.HeapSize(EntryAt(slot));
        _slots.RemoveAt(slot);
        Count--;
        if (Capacity > MinCapacity && Count * 8L < Capacity)
        {
            Resize(CapacityFor(Count));
        }
    }

    /// <summary>Adds every entry whose home bucket is <paramref name="bucket"/> (modulo the capacity) to <paramref name="into"/>.</summary>
    public void CollectBucket(ulong bucket, List<object> into)
    {
        var home = (int)(bucket & (ulong)_mask);
        for (var slot = home; _slots.HashAt(slot) != 0; slot = (slot + 1) & _mask)
        {
            if (((int)_slots.HashAt(slot) & _mask) == home)
            {
                into.Add(EntryAt(slot));
            }
        }
    }

    /// <summary>Redis's reverse-binary cursor increment (see KeyTable.NextCursor); 0 when the scan is complete.</summary>
    public ulong NextCursor(ulong cursor)
    {
        cursor |= ~(ulong)_mask;
        cursor = ReverseBits(cursor);
        cursor++;
        return ReverseBits(cursor);
    }

    /// <summary>An occupied slot at or after a uniformly drawn position; the table must not be empty.</summary>
    public int SampleSlot(ref SeededRandom random)
    {
        var slot = random.Next(Capacity);
        while (_slots.HashAt(slot) == 0)
        {
            slot = (slot + 1) & _mask;
        }
        return slot;
    }

    /// <summary>
    /// The occupied slots in cyclic order starting just after an empty slot. Adding the entries in
    /// this order to an empty table of the same capacity puts every one back in its slot: each probe
    /// run is rebuilt from its start, so snapshots preserve the layout exactly.
    /// </summary>
    public IEnumerable<int> SnapshotOrder()
    {
        var start = _slots.FirstEmpty();
        for (var i = 1; i <= Capacity; i++)
        {
            var slot = (start + i) & _mask;
            if (_slots.HashAt(slot) != 0)
            {
                yield return slot;
            }
        }
    }

    /// <summary>Occupied slots in slot order (iteration for replies).</summary>
    public SlotEnumerator GetEnumerator() => new(this);

    /// <summary>
    /// A copy that shares the slot chunks (and, as always, the entries) with this table; each side
    /// copies a chunk before its first change to it. O(slots / 256).
    /// </summary>
    public EntryTable ShareCopy() => new(_slots.ShareCopy()) { Count = Count, EntryHeapBytes = EntryHeapBytes };

    /// <summary>Bytes of the table's slots.</summary>
    public long TableHeapBytes => _slots.HeapBytes;

    private void AddWithoutGrowing(uint hash, byte[] entry)
    {
        _slots.Place(hash, entry);
        Count++;
        EntryHeapBytes += PackedEntry.HeapSize(entry);
    }

    private void Resize(int capacity)
    {
        _slots = _slots.Resized(capacity);
        _mask = capacity - 1;
    }

    /// <summary>The smallest power of two that holds <paramref name="count"/> entries at most half full.</summary>
    private static int CapacityFor(int count) =>
        (int)Math.Max(MinCapacity, BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, count) * 2));

    private static ulong ReverseBits(ulong value)
    {
        value = ((value >> 1) & 0x5555555555555555) | ((value & 0x5555555555555555) << 1);
        value = ((value >> 2) & 0x3333333333333333) | ((value & 0x3333333333333333) << 2);
        value = ((value >> 4) & 0x0F0F0F0F0F0F0F0F) | ((value & 0x0F0F0F0F0F0F0F0F) << 4);
        return System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value);
    }

    /// <summary>Walks the occupied slots without allocating.</summary>
    public struct SlotEnumerator(EntryTable table)
    {
        private int _slot = -1;

        public readonly byte[] Current => table.EntryAt(_slot);

        public bool MoveNext()
        {
            while (++_slot < table.Capacity)
            {
                if (table.IsOccupied(_slot))
                {
                    return true;
                }
            }
            return false;
        }
    }
}
