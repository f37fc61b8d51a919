using System.Numerics;
using Dst.Commands.Storage;

namespace Dst.Commands.SortedSets;

/// <summary>
/// The member index of a large sorted set: open addressing with linear probing and backward-shift
/// deletion over entries (<see cref="SortedSetEntry"/>), looked up by member span without
/// allocating. A slot costs a 32-bit hash and one reference. Hashes use fixed constants, so every
/// replica lays the table out alike, and ZSCAN's cursor is Redis's reverse-binary bucket cursor
/// (as the keyspace's <see cref="KeyTable"/>): a member present for the whole scan is returned at
/// least once across resizes. The slots live in <see cref="ChunkedSlots"/>, so <see cref="ShareCopy"/>
/// (copy-on-write while a snapshot capture is open) copies only the chunks written afterwards.
/// </summary>
internal sealed class MemberTable
{
    private const int MinCapacity = 8;

    private ChunkedSlots _slots;
    private int _mask;

    public MemberTable(int expectedCount)
        : this(new ChunkedSlots(CapacityFor(expectedCount)))
    {
    }

    private MemberTable(ChunkedSlots slots)
    {
        _slots = slots;
        _mask = slots.Capacity - 1;
    }

    public int Count { get; private set; }

    public int Capacity => _slots.Capacity;

    /// <summary>The entry for <paramref name="member"/>, or null.</summary>
    public byte[]? Find(ReadOnlySpan<byte> member)
    {
        var slot = SlotOf(member, KeyHash.Compute(member));
        return slot < 0 ? null : _slots.EntryAt(slot);
    }

    /// <summary>Puts <paramref name="entry"/> in place of the entry for the same member (a new score).</summary>
    public void Replace(byte[] entry)
    {
        var member = SortedSetEntry.Member(entry);
        _slots.SetEntry(SlotOf(member, KeyHash.Compute(member)), entry);
    }

    /// <summary>A copy sharing the slot chunks with this table; each side copies a chunk before its first change to it.</summary>
    public MemberTable ShareCopy() => new(_slots.ShareCopy()) { Count = Count };

    /// <summary>Adds an entry whose member is known to be absent.</summary>
    public void Add(byte[] entry)
    {
        if ((Count + 1) * 4L > Capacity * 3L)
        {
            Resize(Capacity * 2);
        }
        Count++;
        _slots.Place(KeyHash.Compute(SortedSetEntry.Member(entry)), entry);
    }

    public bool Remove(ReadOnlySpan<byte> member)
    {
        var slot = SlotOf(member, KeyHash.Compute(member));
        if (slot < 0)
        {
            return false;
        }
        _slots.RemoveAt(slot);
        Count--;
        if (Capacity > MinCapacity && Count * 8L < Capacity)
        {
            Resize(CapacityFor(Count));
        }
        return true;
    }

    /// <summary>
    /// One ZSCAN step: gathers the entries of home buckets from <paramref name="cursor"/> on until at
    /// least <paramref name="count"/> were found (or 10 x count buckets looked at) and returns the next cursor, 0 when done.
    /// </summary>
    public ulong Scan(ulong cursor, int count, List<byte[]> into)
    {
        var budget = Math.Max(1L, count * 10L);
        do
        {
            var home = (int)(cursor & (ulong)_mask);
            for (var slot = home; _slots.HashAt(slot) != 0; slot = (slot + 1) & _mask)
            {
                if (((int)_slots.HashAt(slot) & _mask) == home)
                {
                    into.Add(_slots.EntryAt(slot)!);
                }
            }
            cursor = NextCursor(cursor);
        }
        while (cursor != 0 && --budget > 0 && into.Count < count);
        return cursor;
    }

    /// <summary>Managed bytes of the slots.</summary>
    public long SlotBytes => _slots.HeapBytes;

    private int SlotOf(ReadOnlySpan<byte> member, uint hash)
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
            if (stored == hash && SortedSetEntry.Member(slots.EntryAt(slot)!).SequenceEqual(member))
            {
                return slot;
            }
            slot = (slot + 1) & _mask;
        }
    }

    private void Resize(int capacity)
    {
        _slots = _slots.Resized(capacity);
        _mask = capacity - 1;
    }

    /// <summary>Redis's reverse-binary increment over the bits of the mask (see <see cref="KeyTable.NextCursor"/>).</summary>
    private ulong NextCursor(ulong cursor)
    {
        cursor |= ~(ulong)_mask;
        cursor = ReverseBits(cursor);
        cursor++;
        return ReverseBits(cursor);
    }

    /// <summary>The smallest power of two holding <paramref name="count"/> at most 3/4 full.</summary>
    private static int CapacityFor(int count) =>
        (int)Math.Max(MinCapacity, BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, (count * 4L / 3) + 1)));

    private static ulong ReverseBits(ulong value)
    {
        value = ((value >> 1) & 0x5555555555555555) | ((value & 0x5555555555555555) << 1);
        value = ((value >> 2) & 0x3333333333333333) | ((value & 0x3333333333333333) << 2);
        value = ((value >> 4) & 0x0F0F0F0F0F0F0F0F) | ((value & 0x0F0F0F0F0F0F0F0F) << 4);
        return System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value);
    }
}
