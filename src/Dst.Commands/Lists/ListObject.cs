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
/// Items are never modified in place (LSET stores a new array), so copies share item arrays.
/// Conversions depend only on the operations applied, so every replica has the same encoding.
/// </para>
/// </summary>
public sealed class ListObject : StoredObject
{
    private const byte ListpackTag = 0;
    private const byte QuicklistTag = 1;

    private readonly Deque<Chunk> _chunks = new(1);

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

    public void PushFront(byte[] item, ListFill fill)
    {
        if (_chunks.Count == 0 || (IsQuicklist && WouldExceed(_chunks.First, item, fill)))
        {
            _chunks.PushFront(new Chunk());
        }
        _chunks.First.PushFront(item);
        Grew(item, 0, fill);
    }

    public void PushBack(byte[] item, ListFill fill)
    {
        if (_chunks.Count == 0 || (IsQuicklist && WouldExceed(_chunks.Last, item, fill)))
        {
            _chunks.PushBack(new Chunk());
        }
        _chunks.Last.PushBack(item);
        Grew(item, _chunks.Count - 1, fill);
    }

    public byte[] PopFront(ListFill fill) => RemoveAt(new Position(0, 0), fill);

    public byte[] PopBack(ListFill fill) => RemoveAt(new Position(_chunks.Count - 1, _chunks.Last.Items.Count - 1), fill);

    public byte[] this[int index] => ItemAt(Locate(index));

    /// <summary>Replaces the item at <paramref name="index"/> (LSET).</summary>
    public void Set(int index, byte[] item, ListFill fill)
    {
        var at = Locate(index);
        var old = _chunks[at.Chunk].Replace(at.Item, item);
        PackedBytes += ListFill.EntrySize(item.Length) - ListFill.EntrySize(old.Length);
        Rebalance(at.Chunk, fill);
    }

    /// <summary>Inserts so that <paramref name="item"/> ends up at <paramref name="index"/> (0..Count).</summary>
    public void Insert(int index, byte[] item, ListFill fill)
    {
        if (index == Count)
        {
            PushBack(item, fill);
            return;
        }
        var at = Locate(index);
        _chunks[at.Chunk].Insert(at.Item, item);
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
            if (this[index].AsSpan().SequenceEqual(value))
            {
                RemoveAt(index, fill);
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
            if (_chunks.First.Items.Count <= dropFront)
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
            if (_chunks.Last.Items.Count <= dropBack)
            {
                dropBack -= DropChunk(_chunks.PopBack());
            }
            else
            {
                RemoveItem(new Position(_chunks.Count - 1, _chunks.Last.Items.Count - 1));
                dropBack--;
            }
        }
        Shrank(0, fill);
    }

    public override void WriteSnapshotValue(SnapshotWriter writer)
    {
        writer.WriteByte(IsQuicklist ? QuicklistTag : ListpackTag);
        writer.WriteVarint((ulong)_chunks.Count);
        for (var c = 0; c < _chunks.Count; c++)
        {
            var items = _chunks[c].Items;
            writer.WriteVarint((ulong)items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                writer.WriteBytes(items[i]);
            }
        }
    }

    /// <summary>Reads what <see cref="WriteSnapshotValue"/> wrote; the chunk layout is restored exactly.</summary>
    internal static ListObject ReadSnapshot(SnapshotReader reader, byte[] key, long expireAt)
    {
        var list = new ListObject(key) { ExpireAt = expireAt };
        var tag = reader.ReadByte();
        if (tag is not (ListpackTag or QuicklistTag))
        {
            throw new InvalidDataException($"snapshot list encoding {tag} is not supported");
        }
        list.IsQuicklist = tag == QuicklistTag;
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
            var chunk = new Chunk((int)Math.Min(items, 1024));
            for (ulong i = 0; i < items; i++)
            {
                chunk.PushBack(reader.ReadBytes());
            }
            list._chunks.PushBack(chunk);
            list.Count += chunk.Items.Count;
            list.PackedBytes += chunk.Bytes;
        }
        return list;
    }

    public override StoredObject CloneWithKey(byte[] key)
    {
        var copy = new ListObject(key) { ExpireAt = ExpireAt, IsQuicklist = IsQuicklist, Count = Count, PackedBytes = PackedBytes };
        for (var c = 0; c < _chunks.Count; c++)
        {
            var source = _chunks[c];
            var chunk = new Chunk(source.Items.Count);
            for (var i = 0; i < source.Items.Count; i++)
            {
                chunk.PushBack(source.Items[i]);
            }
            copy._chunks.PushBack(chunk);
        }
        return copy;
    }

    /// <summary>Managed bytes held: the object, its key, each chunk's ring buffer and each item array.</summary>
    public override long EstimateMemoryUsage()
    {
        long bytes = 64 + ArrayBytes(Key.Length) + 32 + (8L * _chunks.Capacity);
        for (var c = 0; c < _chunks.Count; c++)
        {
            var items = _chunks[c].Items;
            bytes += 40 + 24 + (8L * items.Capacity);
            for (var i = 0; i < items.Count; i++)
            {
                bytes += ArrayBytes(items[i].Length);
            }
        }
        return bytes;
    }

    private static long ArrayBytes(int length) => 24 + ((length + 7L) & ~7L);

    private static bool WouldExceed(Chunk chunk, byte[] item, ListFill fill) =>
        fill.Exceeds(chunk.Items.Count + 1, chunk.Bytes + ListFill.EntrySize(item.Length));

    private byte[] ItemAt(Position at) => _chunks[at.Chunk].Items[at.Item];

    private Position Locate(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        if (index < Count / 2)
        {
            for (var c = 0; ; c++)
            {
                var size = _chunks[c].Items.Count;
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
            var size = _chunks[c].Items.Count;
            if (fromEnd < size)
            {
                return new Position(c, size - 1 - fromEnd);
            }
            fromEnd -= size;
        }
    }

    private byte[] RemoveAt(Position at, ListFill fill)
    {
        var item = RemoveItem(at);
        Shrank(at.Chunk, fill);
        return item;
    }

    /// <summary>Takes one item out, dropping its chunk when it empties; no re-encoding.</summary>
    private byte[] RemoveItem(Position at)
    {
        var chunk = _chunks[at.Chunk];
        var item = chunk.RemoveAt(at.Item);
        Count--;
        PackedBytes -= ListFill.EntrySize(item.Length);
        if (chunk.Items.Count == 0)
        {
            _chunks.RemoveAt(at.Chunk);
        }
        return item;
    }

    private int DropChunk(Chunk chunk)
    {
        Count -= chunk.Items.Count;
        PackedBytes -= chunk.Bytes;
        return chunk.Items.Count;
    }

    private void Grew(byte[] item, int chunkIndex, ListFill fill)
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
                if (!fill.Exceeds(left.Items.Count + right.Items.Count, left.Bytes + right.Bytes))
                {
                    while (right.Items.Count > 0)
                    {
                        left.PushBack(right.RemoveAt(0));
                    }
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
        if (chunk.Items.Count < 2 || !fill.Exceeds(chunk.Items.Count, chunk.Bytes))
        {
            return;
        }
        var upper = new Chunk();
        var keep = chunk.Items.Count / 2;
        while (chunk.Items.Count > keep)
        {
            upper.PushFront(chunk.RemoveAt(chunk.Items.Count - 1));
        }
        _chunks.Insert(chunkIndex + 1, upper);
        Rebalance(chunkIndex + 1, fill);
        Rebalance(chunkIndex, fill);
    }

    private void ConvertToQuicklist(ListFill fill)
    {
        IsQuicklist = true;
        var all = _chunks.PopFront();
        var current = new Chunk();
        while (all.Items.Count > 0)
        {
            var item = all.RemoveAt(0);
            if (current.Items.Count > 0 && WouldExceed(current, item, fill))
            {
                _chunks.PushBack(current);
                current = new Chunk();
            }
            current.PushBack(item);
        }
        _chunks.PushBack(current);
    }

    private void ConvertToListpack()
    {
        IsQuicklist = false;
        var merged = new Chunk(Count);
        while (_chunks.Count > 0)
        {
            var chunk = _chunks.PopFront();
            while (chunk.Items.Count > 0)
            {
                merged.PushBack(chunk.RemoveAt(0));
            }
        }
        if (merged.Items.Count > 0)
        {
            _chunks.PushBack(merged);
        }
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

        public readonly byte[] Current => _list._chunks[_chunk].Items[_item];

        public void MoveNext()
        {
            if (++_item == _list._chunks[_chunk].Items.Count)
            {
                _chunk++;
                _item = 0;
            }
        }

        public void MovePrevious()
        {
            if (--_item < 0 && --_chunk >= 0)
            {
                _item = _list._chunks[_chunk].Items.Count - 1;
            }
        }
    }

    /// <summary>One node: items plus their listpack size.</summary>
    private sealed class Chunk(int capacity = 4)
    {
        public Deque<byte[]> Items { get; } = new(capacity);

        public long Bytes { get; private set; }

        public void PushFront(byte[] item)
        {
            Items.PushFront(item);
            Bytes += ListFill.EntrySize(item.Length);
        }

        public void PushBack(byte[] item)
        {
            Items.PushBack(item);
            Bytes += ListFill.EntrySize(item.Length);
        }

        public void Insert(int index, byte[] item)
        {
            Items.Insert(index, item);
            Bytes += ListFill.EntrySize(item.Length);
        }

        public byte[] Replace(int index, byte[] item)
        {
            var old = Items[index];
            Items[index] = item;
            Bytes += ListFill.EntrySize(item.Length) - ListFill.EntrySize(old.Length);
            return old;
        }

        public byte[] RemoveAt(int index)
        {
            var item = Items.RemoveAt(index);
            Bytes -= ListFill.EntrySize(item.Length);
            return item;
        }
    }
}
