using Dst.Commands.Snapshots;
using Dst.Commands.Storage;

namespace Dst.Commands.Lists;

/// <summary>
/// A list value: a deque of chunks, each a deque of items, like Redis's quicklist of listpacks.
/// A small list is one chunk ("listpack" encoding); once it outgrows <see cref="ListFill"/> it is
/// split into chunks that each respect the fill ("quicklist"), and it turns back into one chunk
/// when it fits in half a node again. Push and pop are O(1) at both ends, access by index walks
/// chunks from the nearer end, O(n / chunk).
/// <para>
/// Each chunk packs its items' bytes in one array (<see cref="ListChunk"/>), so a list holds no
/// object per item. Conversions depend only on the operations applied, so every replica has the
/// same encoding.
/// </para>
/// <para>
/// A copy (<see cref="CloneWithKey"/>: copy-on-write under a snapshot capture, COPY) shares the
/// chunks; a list changes only the chunks its owner token owns and copies any other first
/// (<see cref="Writable"/>). So the copy costs one reference per chunk, and LPUSH on a long list
/// copies one chunk, not the list.
/// </para>
/// </summary>
public sealed class ListObject : StoredObject
{
    private const byte ListpackTag = 0;
    private const byte QuicklistTag = 1;

    // Added to the tag: each chunk's item lengths, then its bytes in one run (ListChunk.WriteSnapshot).
    // Snapshots from before 2026-12-05 have each item behind its length instead, and still load.
    private const byte PackedChunks = 2;

    private readonly Deque<ListChunk> _chunks = new(1);
    private object _owner = new();

    public ListObject(byte[] key)
        : base(key)
    {
    }

    public int Count { get; private set; }

    /// <summary>Listpack bytes of all entries, as Redis would count them.</summary>
    public long PackedBytes { get; private set; }

    public bool IsQuicklist { get; private set; }

    public override ValueKind Kind => ValueKind.List;

    public override string EncodingName => IsQuicklist ? "quicklist" : "listpack";

    internal int ChunkCount => _chunks.Count;

    public void PushFront(ReadOnlySpan<byte> item, ListFill fill)
    {
        if (_chunks.Count == 0 || (IsQuicklist && WouldExceed(_chunks.First, item, fill)))
        {
            _chunks.PushFront(NewChunk());
        }
        Writable(0).PushFront(item);
        Grew(item, 0, fill);
    }

    public void PushBack(ReadOnlySpan<byte> item, ListFill fill)
    {
        if (_chunks.Count == 0 || (IsQuicklist && WouldExceed(_chunks.Last, item, fill)))
        {
            _chunks.PushBack(NewChunk());
        }
        Writable(_chunks.Count - 1).PushBack(item);
        Grew(item, _chunks.Count - 1, fill);
    }

    public byte[] PopFront(ListFill fill) => RemoveAt(new Position(0, 0), fill);

    public byte[] PopBack(ListFill fill) => RemoveAt(new Position(_chunks.Count - 1, _chunks.Last.Count - 1), fill);

    /// <summary>The item at <paramref name="index"/>; valid until the list is next modified.</summary>
    public ReadOnlySpan<byte> this[int index] => ItemAt(Locate(index));

    /// <summary>Replaces the item at <paramref name="index"/> (LSET).</summary>
    public void Set(int index, ReadOnlySpan<byte> item, ListFill fill)
    {
        var at = Locate(index);
        var chunk = Writable(at.Chunk);
        PackedBytes -= chunk.Bytes;
        chunk.Replace(at.Item, item);
        PackedBytes += chunk.Bytes;
        Rebalance(at.Chunk, fill);
    }

    /// <summary>Inserts so that <paramref name="item"/> ends up at <paramref name="index"/> (0..Count).</summary>
    public void Insert(int index, ReadOnlySpan<byte> item, ListFill fill)
    {
        if (index == Count)
        {
            PushBack(item, fill);
            return;
        }
        var at = Locate(index);
        Writable(at.Chunk).Insert(at.Item, item);
        Grew(item, at.Chunk, fill);
    }

    public byte[] RemoveAt(int index, ListFill fill) => RemoveAt(Locate(index), fill);

    /// <summary>A cursor on the item at <paramref name="index"/>, for walking forward or backward.</summary>
    public Cursor CursorAt(int index) => new(this, Locate(index));

    /// <summary>
    /// LREM: removes up to <paramref name="limit"/> items equal to <paramref name="value"/> (0 = all),
    /// from the tail when <paramref name="fromTail"/>. Returns how many were removed.
    /// </summary>
    public long RemoveMatches(ReadOnlySpan<byte> value, long limit, bool fromTail, ListFill fill)
    {
        long removed = 0;
        var index = fromTail ? Count - 1 : 0;
        while (index >= 0 && index < Count && (limit == 0 || removed < limit))
        {
            if (this[index].SequenceEqual(value))
            {
                Remove(Locate(index), fill);
                removed++;
                index -= fromTail ? 1 : 0;
            }
            else
            {
                index += fromTail ? -1 : 1;
            }
        }
        return removed;
    }

    /// <summary>LTRIM: keeps the items from <paramref name="start"/> to <paramref name="end"/> inclusive, both within 0..Count-1; start &gt; end empties the list.</summary>
    public void Trim(int start, int end, ListFill fill)
    {
        var dropFront = start > end ? Count : start;
        var dropBack = start > end ? 0 : Count - 1 - end;
        // Whole chunks go at once; the chunk at each edge is trimmed item by item.
        while (dropFront > 0)
        {
            if (_chunks.First.Count <= dropFront)
            {
                dropFront -= DropChunk(_chunks.PopFront());
            }
            else
            {
                RemoveItem(new Position(0, 0));
                dropFront--;
            }
        }
        while (dropBack > 0)
        {
            if (_chunks.Last.Count <= dropBack)
            {
                dropBack -= DropChunk(_chunks.PopBack());
            }
            else
            {
                RemoveItem(new Position(_chunks.Count - 1, _chunks.Last.Count - 1));
                dropBack--;
            }
        }
        Shrank(0, fill);
    }

    public override void WriteSnapshotValue(SnapshotWriter writer)
    {
        writer.WriteByte((byte)((IsQuicklist ? QuicklistTag : ListpackTag) | PackedChunks));
        writer.WriteVarint((ulong)_chunks.Count);
        for (var c = 0; c < _chunks.Count; c++)
        {
            writer.WriteVarint((ulong)_chunks[c].Count);
            _chunks[c].WriteSnapshot(writer);
        }
    }

    /// <summary>Reads what <see cref="WriteSnapshotValue"/> wrote; the chunk layout is restored exactly.</summary>
    internal static ListObject ReadSnapshot(SnapshotReader reader, byte[] key, long expireAt)
    {
        var list = new ListObject(key) { ExpireAt = expireAt };
        var tag = reader.ReadByte();
        var packed = (tag & PackedChunks) != 0;
        var encoding = tag & ~PackedChunks;
        if (encoding is not (ListpackTag or QuicklistTag))
        {
            throw new InvalidDataException($"snapshot list encoding {tag} is not supported");
        }
        list.IsQuicklist = encoding == QuicklistTag;
        var chunks = reader.ReadVarint();
        if (chunks == 0 || chunks > int.MaxValue || (!list.IsQuicklist && chunks != 1))
        {
            throw new InvalidDataException($"snapshot list chunk count {chunks} is out of range");
        }
        for (ulong c = 0; c < chunks; c++)
        {
            var items = reader.ReadVarint();
            if (items == 0 || items > int.MaxValue)
            {
                throw new InvalidDataException($"snapshot list chunk size {items} is out of range");
            }
            var chunk = packed ? ListChunk.ReadSnapshot(reader, (int)items) : ListChunk.ReadUnpackedSnapshot(reader, (int)items);
            chunk.Owner = list._owner;
            list._chunks.PushBack(chunk);
            list.Count += chunk.Count;
            list.PackedBytes += chunk.Bytes;
        }
        return list;
    }

    /// <summary>A copy sharing the chunks: from now on neither list owns them, so each copies a chunk before changing it.</summary>
    public override StoredObject CloneWithKey(byte[] key)
    {
        var copy = new ListObject(key) { ExpireAt = ExpireAt, IsQuicklist = IsQuicklist, Count = Count, PackedBytes = PackedBytes };
        for (var c = 0; c < _chunks.Count; c++)
        {
            copy._chunks.PushBack(_chunks[c]);
        }
        _owner = new object();
        return copy;
    }

    /// <summary>Managed bytes held: the object, its key, the chunk ring and each chunk's two arrays.</summary>
    public override long EstimateMemoryUsage()
    {
        long bytes = 64 + ArrayBytes(Key.Length) + 32 + (8L * _chunks.Capacity);
        for (var c = 0; c < _chunks.Count; c++)
        {
            bytes += 48 + _chunks[c].HeldBytes;
        }
        return bytes;
    }

    private static long ArrayBytes(int length) => 24 + ((length + 7L) & ~7L);

    private static bool WouldExceed(ListChunk chunk, ReadOnlySpan<byte> item, ListFill fill) =>
        fill.Exceeds(chunk.Count + 1, chunk.Bytes + ListFill.EntrySize(item.Length));

    private ReadOnlySpan<byte> ItemAt(Position at) => _chunks[at.Chunk][at.Item];

    private Position Locate(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        if (index < Count / 2)
        {
            for (var c = 0; ; c++)
            {
                var size = _chunks[c].Count;
                if (index < size)
                {
                    return new Position(c, index);
                }
                index -= size;
            }
        }
        var fromEnd = Count - 1 - index;
        for (var c = _chunks.Count - 1; ; c--)
        {
            var size = _chunks[c].Count;
            if (fromEnd < size)
            {
                return new Position(c, size - 1 - fromEnd);
            }
            fromEnd -= size;
        }
    }

    private byte[] RemoveAt(Position at, ListFill fill)
    {
        var item = ItemAt(at).ToArray();
        Remove(at, fill);
        return item;
    }

    private void Remove(Position at, ListFill fill)
    {
        RemoveItem(at);
        Shrank(at.Chunk, fill);
    }

    /// <summary>Takes one item out, dropping its chunk when it empties; no re-encoding.</summary>
    private void RemoveItem(Position at)
    {
        var chunk = Writable(at.Chunk);
        PackedBytes -= chunk.Bytes;
        chunk.RemoveAt(at.Item);
        PackedBytes += chunk.Bytes;
        Count--;
        if (chunk.Count == 0)
        {
            _chunks.RemoveAt(at.Chunk);
        }
    }

    private int DropChunk(ListChunk chunk)
    {
        Count -= chunk.Count;
        PackedBytes -= chunk.Bytes;
        return chunk.Count;
    }

    private void Grew(ReadOnlySpan<byte> item, int chunkIndex, ListFill fill)
    {
        Count++;
        PackedBytes += ListFill.EntrySize(item.Length);
        if (!IsQuicklist)
        {
            if (fill.Exceeds(Count, PackedBytes))
            {
                ConvertToQuicklist(fill);
            }
            return;
        }
        Rebalance(chunkIndex, fill);
    }

    private void Shrank(int chunkIndex, ListFill fill)
    {
        if (!IsQuicklist)
        {
            return;
        }
        if (fill.FitsInHalf(Count, PackedBytes))
        {
            ConvertToListpack();
            return;
        }
        // Merge a thinned chunk into a neighbour when both fit in one node, so deletes in the middle
        // do not leave a trail of tiny chunks.
        if (chunkIndex >= _chunks.Count)
        {
            chunkIndex = _chunks.Count - 1;
        }
        foreach (var neighbour in (ReadOnlySpan<int>)[chunkIndex - 1, chunkIndex])
        {
            if (neighbour >= 0 && neighbour + 1 < _chunks.Count)
            {
                var left = _chunks[neighbour];
                var right = _chunks[neighbour + 1];
                if (!fill.Exceeds(left.Count + right.Count, left.Bytes + right.Bytes))
                {
                    Writable(neighbour).AppendAll(right);
                    _chunks.RemoveAt(neighbour + 1);
                    return;
                }
            }
        }
    }

    /// <summary>Splits an overfull chunk (quicklist only) into halves until each fits or holds one item.</summary>
    private void Rebalance(int chunkIndex, ListFill fill)
    {
        if (!IsQuicklist)
        {
            if (fill.Exceeds(Count, PackedBytes))
            {
                ConvertToQuicklist(fill);
            }
            return;
        }
        var chunk = _chunks[chunkIndex];
        if (chunk.Count < 2 || !fill.Exceeds(chunk.Count, chunk.Bytes))
        {
            return;
        }
        var upper = Writable(chunkIndex).SplitFrom(chunk.Count / 2);
        _chunks.Insert(chunkIndex + 1, upper);
        Rebalance(chunkIndex + 1, fill);
        Rebalance(chunkIndex, fill);
    }

    private void ConvertToQuicklist(ListFill fill)
    {
        IsQuicklist = true;
        var all = _chunks.PopFront();
        var current = NewChunk();
        for (var i = 0; i < all.Count; i++)
        {
            var item = all[i];
            if (current.Count > 0 && WouldExceed(current, item, fill))
            {
                _chunks.PushBack(current);
                current = NewChunk();
            }
            current.PushBack(item);
        }
        _chunks.PushBack(current);
    }

    private void ConvertToListpack()
    {
        IsQuicklist = false;
        var merged = new ListChunk(Count) { Owner = _owner };
        while (_chunks.Count > 0)
        {
            merged.AppendAll(_chunks.PopFront());
        }
        if (merged.Count > 0)
        {
            _chunks.PushBack(merged);
        }
    }

    private ListChunk NewChunk() => new() { Owner = _owner };

    /// <summary>The chunk at <paramref name="index"/>, to change: first copied into this list's own when another list may hold it.</summary>
    private ListChunk Writable(int index)
    {
        var chunk = _chunks[index];
        if (!ReferenceEquals(chunk.Owner, _owner))
        {
            chunk = chunk.Clone();
            chunk.Owner = _owner;
            _chunks[index] = chunk;
        }
        return chunk;
    }

    internal readonly record struct Position(int Chunk, int Item);

    /// <summary>Walks items from a position; the caller keeps within 0..Count-1 and does not modify the list meanwhile.</summary>
    public struct Cursor
    {
        private readonly ListObject _list;
        private int _chunk;
        private int _item;

        internal Cursor(ListObject list, Position at)
        {
            _list = list;
            _chunk = at.Chunk;
            _item = at.Item;
        }

        /// <summary>The item under the cursor; valid until the list is next modified.</summary>
        public readonly ReadOnlySpan<byte> Current => _list._chunks[_chunk][_item];

        public void MoveNext()
        {
            if (++_item == _list._chunks[_chunk].Count)
            {
                _chunk++;
                _item = 0;
            }
        }

        public void MovePrevious()
        {
            if (--_item < 0 && --_chunk >= 0)
            {
                _item = _list._chunks[_chunk].Count - 1;
            }
        }
    }
}
