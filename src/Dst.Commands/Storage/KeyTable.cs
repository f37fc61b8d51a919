using System.Numerics;

namespace Dst.Commands.Storage;

/// <summary>
/// The keyspace's hash table: open addressing with linear probing over a power-of-two array,
/// backward-shift deletion (no tombstones). A slot holds the key's 32-bit hash (0 = empty) and one
/// item: a packed string (<see cref="PackedString"/>) or a <see cref="StoredObject"/>; the key lives
/// inside the item, so the table adds 12 bytes per slot and nothing per key.
/// <para>
/// A key's home bucket is <c>hash &amp; mask</c>; linear probing keeps every key between its home
/// bucket and the next empty slot. <see cref="ScanBucket"/> visits by home bucket, which makes the
/// table behave like Redis's chained buckets for SCAN: on doubling, bucket b splits into b and
/// b + size, so Redis's reverse-binary cursor keeps its guarantee (see <see cref="NextCursor"/>).
/// </para>
/// </summary>
internal sealed class KeyTable
{
    private const int MinCapacity = 16;

    private uint[] _hashes;
    private object?[] _items;
    private int _mask;

    public KeyTable(int expectedCount = 0)
    {
        var capacity = CapacityFor(expectedCount);
        _hashes = new uint[capacity];
        _items = new object?[capacity];
        _mask = capacity - 1;
    }

    public int Count { get; private set; }

    public int Capacity => _hashes.Length;

    public static ReadOnlySpan<byte> KeyOf(object item) =>
        item is byte[] packed ? PackedString.Key(packed) : ((StoredObject)item).Key;

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
            if (stored == hash && KeyOf(_items[slot]!).SequenceEqual(key))
            {
                return slot;
            }
            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>Adds an item whose key is known to be absent; returns its slot.</summary>
    public int Insert(uint hash, object item)
    {
        if ((Count + 1) * 4L > Capacity * 3L)
        {
            Resize(Capacity * 2);
        }
        Count++;
        return Place(hash, item);
    }

    public object ItemAt(int slot) => _items[slot]!;

    /// <summary>Replaces the item in a slot with one for the same key (a new value, a new expiry).</summary>
    public void ReplaceAt(int slot, object item) => _items[slot] = item;

    public bool IsOccupied(int slot) => _hashes[slot] != 0;

    /// <summary>Copies the items, in slot order, into an array of <see cref="Capacity"/> (a snapshot capture); empty slots are null.</summary>
    public void CopyItemsTo(object?[] destination) => _items.CopyTo(destination, 0);

    /// <summary>Removes the item in <paramref name="slot"/>; later items of the probe run shift back into the gap.</summary>
    public void RemoveAt(int slot)
    {
        var hole = slot;
        var next = (hole + 1) & _mask;
        while (_hashes[next] != 0)
        {
            var home = (int)_hashes[next] & _mask;
            // The item at `next` may fill the hole unless its home lies cyclically in (hole, next].
            if (((next - home) & _mask) >= ((next - hole) & _mask))
            {
                _hashes[hole] = _hashes[next];
                _items[hole] = _items[next];
                hole = next;
            }
            next = (next + 1) & _mask;
        }
        _hashes[hole] = 0;
        _items[hole] = null;
        Count--;
        if (Capacity > MinCapacity && Count * 8L < Capacity)
        {
            Resize(CapacityFor(Count));
        }
    }

    public void Clear()
    {
        _hashes = new uint[MinCapacity];
        _items = new object?[MinCapacity];
        _mask = MinCapacity - 1;
        Count = 0;
    }

    /// <summary>Calls <paramref name="visit"/> for every item whose home bucket is <paramref name="bucket"/> (taken modulo the capacity).</summary>
    public void ScanBucket<TState>(ulong bucket, ref TState state, ItemVisitor<TState> visit)
    {
        var home = (int)(bucket & (ulong)_mask);
        for (var slot = home; _hashes[slot] != 0; slot = (slot + 1) & _mask)
        {
            if (((int)_hashes[slot] & _mask) == home)
            {
                visit(ref state, _items[slot]!);
            }
        }
    }

    /// <summary>
    /// Redis's reverse-binary cursor increment: set the bits above the mask, reverse, add one,
    /// reverse back. Buckets are visited in an order where every bucket of a bigger or smaller table
    /// that shares the already visited low bits is also already visited, so an element present for
    /// the whole scan is returned at least once across any number of resizes (possibly more than once
    /// after a shrink). Returns 0 when the scan is complete.
    /// </summary>
    public ulong NextCursor(ulong cursor)
    {
        cursor |= ~(ulong)_mask;
        cursor = ReverseBits(cursor);
        cursor++;
        return ReverseBits(cursor);
    }

    /// <summary>An occupied slot near a uniformly drawn position, or -1 when the table is empty.</summary>
    public int SampleSlot(Random random)
    {
        if (Count == 0)
        {
            return -1;
        }
        var slot = random.Next(Capacity);
        while (_hashes[slot] == 0)
        {
            slot = (slot + 1) & _mask;
        }
        return slot;
    }

    private int Place(uint hash, object item)
    {
        var slot = (int)hash & _mask;
        while (_hashes[slot] != 0)
        {
            slot = (slot + 1) & _mask;
        }
        _hashes[slot] = hash;
        _items[slot] = item;
        return slot;
    }

    private void Resize(int capacity)
    {
        var oldHashes = _hashes;
        var oldItems = _items;
        _hashes = new uint[capacity];
        _items = new object?[capacity];
        _mask = capacity - 1;
        for (var i = 0; i < oldHashes.Length; i++)
        {
            if (oldHashes[i] != 0)
            {
                Place(oldHashes[i], oldItems[i]!);
            }
        }
    }

    /// <summary>The smallest power of two that holds <paramref name="count"/> items at most half full.</summary>
    private static int CapacityFor(int count) =>
        (int)Math.Max(MinCapacity, BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, count) * 2));

    private static ulong ReverseBits(ulong value)
    {
        value = ((value >> 1) & 0x5555555555555555) | ((value & 0x5555555555555555) << 1);
        value = ((value >> 2) & 0x3333333333333333) | ((value & 0x3333333333333333) << 2);
        value = ((value >> 4) & 0x0F0F0F0F0F0F0F0F) | ((value & 0x0F0F0F0F0F0F0F0F) << 4);
        return System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value);
    }
}

internal delegate void ItemVisitor<TState>(ref TState state, object item);
