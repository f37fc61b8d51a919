using System.Numerics;
using Dst.Commands.Sets;
using Dst.Commands.Storage;

namespace Dst.Commands.Hashes;

/// <summary>
/// The "hashtable" encoding of hashes and sets: open addressing with linear probing over a
/// power-of-two array, backward-shift deletion, holding <see cref="PackedEntry"/> arrays looked up
/// by span. A slot costs 12 bytes (a 32-bit hash, 0 = empty, and a reference); an element costs its
/// one entry array, so a hash field with its value is one heap object, not a key array, a value
/// array and a dictionary node.
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

    private uint[] _hashes;
    private byte[]?[] _entries;
    private int _mask;

    private EntryTable(int capacity)
    {
        _hashes = new uint[capacity];
        _entries = new byte[]?[capacity];
        _mask = capacity - 1;
    }

    public int Count { get; private set; }

    public int Capacity => _hashes.Length;

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
        var hashes = _hashes;
        var slot = (int)hash & _mask;
        while (true)
        {
            var stored = hashes[slot];
            if (stored == 0)
            {
                return -1;
            }
            if (stored == hash && PackedEntry.Key(_entries[slot]!).SequenceEqual(key))
            {
                return slot;
            }
            slot = (slot + 1) & _mask;
        }
    }

    public byte[] EntryAt(int slot) => _entries[slot]!;

    public bool IsOccupied(int slot) => _hashes[slot] != 0;

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
        EntryHeapBytes += PackedEntry.HeapSize(entry) - PackedEntry.HeapSize(_entries[slot]!);
        _entries[slot] = entry;
    }

    /// <summary>Removes the entry in <paramref name="slot"/>; later entries of the probe run shift back into the gap.</summary>
    public void RemoveAt(int slot)
    {
        EntryHeapBytes -= PackedEntry.HeapSize(_entries[slot]!);
        var hole = slot;
        var next = (hole + 1) & _mask;
        while (_hashes[next] != 0)
        {
            var home = (int)_hashes[next] & _mask;
            // The entry at `next` may fill the hole unless its home lies cyclically in (hole, next].
            if (((next - home) & _mask) >= ((next - hole) & _mask))
            {
                _hashes[hole] = _hashes[next];
                _entries[hole] = _entries[next];
                hole = next;
            }
            next = (next + 1) & _mask;
        }
        _hashes[hole] = 0;
        _entries[hole] = null;
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
        for (var slot = home; _hashes[slot] != 0; slot = (slot + 1) & _mask)
        {
            if (((int)_hashes[slot] & _mask) == home)
            {
                into.Add(_entries[slot]!);
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
        while (_hashes[slot] == 0)
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
        var start = Array.IndexOf(_hashes, 0u);
        for (var i = 1; i <= Capacity; i++)
        {
            var slot = (start + i) & _mask;
            if (_hashes[slot] != 0)
            {
                yield return slot;
            }
        }
    }

    /// <summary>Occupied slots in slot order (iteration for replies).</summary>
    public SlotEnumerator GetEnumerator() => new(this);

    public EntryTable Clone()
    {
        var copy = new EntryTable(Capacity);
        for (var slot = 0; slot < Capacity; slot++)
        {
            if (_hashes[slot] != 0)
            {
                copy._hashes[slot] = _hashes[slot];
                copy._entries[slot] = _entries[slot];
            }
        }
        copy.Count = Count;
        copy.EntryHeapBytes = EntryHeapBytes;
        return copy;
    }

    /// <summary>Bytes of the table's own two arrays.</summary>
    public long TableHeapBytes => 2 * 24 + (Capacity * (sizeof(uint) + (long)IntPtr.Size));

    private void AddWithoutGrowing(uint hash, byte[] entry)
    {
        var slot = (int)hash & _mask;
        while (_hashes[slot] != 0)
        {
            slot = (slot + 1) & _mask;
        }
        _hashes[slot] = hash;
        _entries[slot] = entry;
        Count++;
        EntryHeapBytes += PackedEntry.HeapSize(entry);
    }

    private void Resize(int capacity)
    {
        var oldHashes = _hashes;
        var oldEntries = _entries;
        _hashes = new uint[capacity];
        _entries = new byte[]?[capacity];
        _mask = capacity - 1;
        for (var i = 0; i < oldHashes.Length; i++)
        {
            var hash = oldHashes[i];
            if (hash != 0)
            {
                var slot = (int)hash & _mask;
                while (_hashes[slot] != 0)
                {
                    slot = (slot + 1) & _mask;
                }
                _hashes[slot] = hash;
                _entries[slot] = oldEntries[i];
            }
        }
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

        public readonly byte[] Current => table._entries[_slot]!;

        public bool MoveNext()
        {
            while (++_slot < table.Capacity)
            {
                if (table._hashes[_slot] != 0)
                {
                    return true;
                }
            }
            return false;
        }
    }
}
