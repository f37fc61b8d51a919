namespace Dst.Commands.Storage;

/// <summary>
/// The slots of an open-addressing table of entry arrays (<see cref="Hashes.EntryTable"/>,
/// <see cref="SortedSets.MemberTable"/>): per slot a 32-bit hash (0 = empty) and one entry, seen as
/// chunks of up to <see cref="ChunkSize"/> slots so that a copy is cheap. The linear probing both
/// tables share lives here too: an entry's home is <c>hash &amp; (Capacity - 1)</c>
/// (<see cref="Place"/>, backward-shift <see cref="RemoveAt"/>, <see cref="Resized"/>); finding
/// a key, whose bytes each table reads differently, is the table's.
/// <para>
/// <see cref="ShareCopy"/> copies only the chunk directory; both tables then share every chunk, and
/// whichever table changes a chunk it did not create first copies that one chunk (3 KiB). A snapshot
/// capture that references a large hash, set or sorted set thus costs memory in proportion to the
/// chunks written while it is open, not to the collection's size. Entries are never changed in
/// place, so chunk copies share them.
/// </para>
/// <para>
/// A new table's chunks are windows on two arrays of the whole capacity, so building and growing a
/// table allocates as a flat table does (two arrays, on the large object heap when big) rather than
/// thousands of small arrays the GC would promote through its younger generations; only a chunk
/// copied after sharing gets arrays of its own.
/// </para>
/// <para>
/// <see cref="Doubled"/> grows a table in place: its chunks become the lower half of the new one
/// and only the upper half is allocated. A managed heap cannot free the old arrays the way Redis
/// frees its old bucket array after a rehash; they would stay in RSS until the next full
/// collection (12 MiB for a 1M-field hash, 8% of its process).
/// </para>
/// </summary>
internal sealed class ChunkedSlots
{
    // 256 slots (3 KiB) a chunk: 1,000 random writes to a 2M-slot table copy about 3 MiB (1,024 a
    // chunk copied 10 MiB), and the chunk objects add 4% to the slots.
    public const int ChunkShift = 8;
    public const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;

    private readonly Chunk[] _chunks;
    // Identifies the chunks this table may change in place; sharing them gives both tables new ones.
    private object _owner;

    /// <summary>Empty slots; <paramref name="capacity"/> is a power of two.</summary>
    public ChunkedSlots(int capacity)
    {
        Capacity = capacity;
        _owner = new object();
        var hashes = new uint[capacity];
        var entries = new byte[]?[capacity];
        _chunks = new Chunk[Math.Max(1, capacity >> ChunkShift)];
        for (var i = 0; i < _chunks.Length; i++)
        {
            _chunks[i] = new Chunk(hashes, entries, i << ChunkShift, _owner);
        }
    }

    private ChunkedSlots(Chunk[] chunks, int capacity, object owner)
    {
        _chunks = chunks;
        _owner = owner;
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Bytes of the directory, the chunk objects and the slot arrays (MEMORY USAGE).</summary>
    public long HeapBytes => 24 + (8L * _chunks.Length) + (_chunks.Length * 40L) + 48 + (Capacity * (sizeof(uint) + (long)IntPtr.Size));

    private int ChunkLength => Math.Min(Capacity, ChunkSize);

    public uint HashAt(int slot)
    {
        var chunk = _chunks[slot >> ChunkShift];
        return chunk.Hashes[chunk.Start + (slot & ChunkMask)];
    }

    public byte[]? EntryAt(int slot)
    {
        var chunk = _chunks[slot >> ChunkShift];
        return chunk.Entries[chunk.Start + (slot & ChunkMask)];
    }

    public void Set(int slot, uint hash, byte[]? entry)
    {
        var chunk = Writable(slot >> ChunkShift);
        chunk.Hashes[chunk.Start + (slot & ChunkMask)] = hash;
        chunk.Entries[chunk.Start + (slot & ChunkMask)] = entry;
    }

    /// <summary>Replaces the entry of an occupied slot, keeping its hash.</summary>
    public void SetEntry(int slot, byte[] entry)
    {
        var chunk = Writable(slot >> ChunkShift);
        chunk.Entries[chunk.Start + (slot & ChunkMask)] = entry;
    }

    public void Clear(int slot) => Set(slot, 0, null);

    /// <summary>Puts an entry whose key is absent in the first empty slot from its home (<c>hash &amp; (Capacity - 1)</c>); returns the slot.</summary>
    public int Place(uint hash, byte[] entry)
    {
        var mask = Capacity - 1;
        var slot = (int)hash & mask;
        while (HashAt(slot) != 0)
        {
            slot = (slot + 1) & mask;
        }
        Set(slot, hash, entry);
        return slot;
    }

    /// <summary>Empties an occupied slot; later entries of its probe run shift back into the gap (no tombstones).</summary>
    public void RemoveAt(int slot)
    {
        var mask = Capacity - 1;
        var hole = slot;
        var next = (hole + 1) & mask;
        uint hash;
        while ((hash = HashAt(next)) != 0)
        {
            var home = (int)hash & mask;
            // The entry at `next` may fill the hole unless its home lies cyclically in (hole, next].
            if (((next - home) & mask) >= ((next - hole) & mask))
            {
                Set(hole, hash, EntryAt(next));
                hole = next;
            }
            next = (next + 1) & mask;
        }
        Clear(hole);
    }

    /// <summary>
    /// Slots of <paramref name="capacity"/> (a power of two) holding the same entries: doubled in place
    /// when that is the growth and this table spans a chunk (<see cref="Doubled"/>), otherwise copied
    /// into new slots in slot order. Either way this table must not be used afterwards.
    /// </summary>
    public ChunkedSlots Resized(int capacity)
    {
        if (capacity == 2 * Capacity && Capacity >= ChunkSize)
        {
            return Doubled();
        }
        var resized = new ChunkedSlots(capacity);
        for (var slot = 0; slot < Capacity; slot++)
        {
            if (HashAt(slot) is var hash and not 0)
            {
                resized.Place(hash, EntryAt(slot)!);
            }
        }
        return resized;
    }

    /// <summary>The first empty slot, or -1 when every slot is occupied.</summary>
    public int FirstEmpty()
    {
        for (var i = 0; i < _chunks.Length; i++)
        {
            var chunk = _chunks[i];
            var at = Array.IndexOf(chunk.Hashes, 0u, chunk.Start, ChunkLength);
            if (at >= 0)
            {
                return (i << ChunkShift) + at - chunk.Start;
            }
        }
        return -1;
    }

    /// <summary>
    /// A table with the same slots that shares every chunk with this one: the first change to a
    /// chunk, on either side, copies it (this table gives up its chunks too, so neither sees the other's writes).
    /// </summary>
    public ChunkedSlots ShareCopy()
    {
        _owner = new object();
        return new ChunkedSlots((Chunk[])_chunks.Clone(), Capacity, new object());
    }

    /// <summary>
    /// Slots of twice the capacity holding the same entries, each placed by linear probing from its
    /// home <c>hash &amp; (2 * Capacity - 1)</c>. This table's chunks become the lower half, so this
    /// table must not be used afterwards. Requires at least one chunk's worth of slots and an empty slot.
    /// </summary>
    public ChunkedSlots Doubled()
    {
        if (Capacity < ChunkSize)
        {
            throw new InvalidOperationException($"a table of {Capacity} slots is smaller than a chunk and cannot grow in place");
        }
        var chunks = new Chunk[_chunks.Length * 2];
        _chunks.CopyTo(chunks, 0);
        var hashes = new uint[Capacity];
        var entries = new byte[]?[Capacity];
        for (var i = 0; i < _chunks.Length; i++)
        {
            chunks[_chunks.Length + i] = new Chunk(hashes, entries, i << ChunkShift, _owner);
        }
        // The owner passes on: chunks this table could write in place, the doubled one can; chunks
        // shared with a snapshot capture are still copied on their first write.
        var doubled = new ChunkedSlots(chunks, Capacity * 2, _owner);
        doubled.RehashLowerHalf();
        return doubled;
    }

    /// <summary>
    /// Moves every entry of the lower half (the old table) to where linear probing under the doubled
    /// mask puts it, in place. Old slots are visited in order starting after an empty one, so each
    /// old run is visited from its start. An entry is never placed past a slot not yet visited, so
    /// a later visit never empties a slot on a placed entry's probe path:
    /// <list type="bullet">
    /// <item>with its home in the lower half, the old run from that home to the entry was visited
    /// up to the entry's own slot, now empty, or continues into the upper half;</item>
    /// <item>a probe that runs off the top of the upper half and wraps round to slot 0 means more
    /// entries have homes in that top stretch than its old slots could hold, so one of them sat past
    /// the old table's end, in the first slots: those were visited, up to the entry's own.</item>
    /// </list>
    /// </summary>
    private void RehashLowerHalf()
    {
        var half = Capacity / 2;
        var mask = Capacity - 1;
        var start = FirstEmpty();
        if (start < 0 || start >= half)
        {
            throw new InvalidOperationException("a table grows before it fills: the old half must have an empty slot");
        }
        for (var step = 1; step < half; step++)
        {
            var slot = (start + step) & (half - 1);
            var hash = HashAt(slot);
            if (hash == 0 || ((int)hash & mask) == slot)
            {
                continue; // empty, or already at its new home
            }
            var entry = EntryAt(slot)!;
            Clear(slot);
            var target = (int)hash & mask;
            while (true)
            {
                if (target < half && ((target - start) & (half - 1)) > step)
                {
                    throw new InvalidOperationException($"doubling probed slot {target} before visiting it");
                }
                if (HashAt(target) == 0)
                {
                    break;
                }
                target = (target + 1) & mask;
            }
            Set(target, hash, entry);
        }
    }

    private Chunk Writable(int index)
    {
        var chunk = _chunks[index];
        if (!ReferenceEquals(chunk.Owner, _owner))
        {
            chunk = chunk.CopyFor(_owner, ChunkLength);
            _chunks[index] = chunk;
        }
        return chunk;
    }

    /// <summary>Slots <see cref="Start"/> onwards of two arrays, shared by a new table's chunks or a copied chunk's own.</summary>
    private sealed class Chunk(uint[] hashes, byte[]?[] entries, int start, object owner)
    {
        public uint[] Hashes { get; } = hashes;

        public byte[]?[] Entries { get; } = entries;

        public int Start { get; } = start;

        public object Owner { get; } = owner;

        public Chunk CopyFor(object owner, int length) =>
            new(Hashes.AsSpan(Start, length).ToArray(), Entries.AsSpan(Start, length).ToArray(), 0, owner);
    }
}
