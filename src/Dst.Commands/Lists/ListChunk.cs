using Dst.Commands.Snapshots;
using Dst.Protocol;

namespace Dst.Commands.Lists;

/// <summary>
/// One node of a list, packed like a Redis listpack: the items' bytes back to back in one array,
/// with room kept at both ends so a push at either end copies only the new item, and each item's
/// start in a ring buffer (an item ends where the next one starts). A node holds no object per
/// item, so a long list costs a few bytes an item and nothing for the garbage collector to trace
/// or promote. <see cref="Bytes"/> counts what a Redis listpack would spend, for the fill rule.
/// Spans returned by the indexer are valid until the node is next modified.
/// </summary>
internal sealed class ListChunk
{
    private const int MinCapacity = 32;

    private readonly Deque<int> _starts;
    private byte[] _data;
    private int _start;
    private int _end;

    public ListChunk(int itemCapacity = 4, int byteCapacity = MinCapacity)
    {
        _starts = new Deque<int>(itemCapacity);
        _data = new byte[Math.Max(MinCapacity, byteCapacity)];
        CentreIfEmpty();
    }

    public int Count => _starts.Count;

    /// <summary>
    /// The token of the one list that may change this node in place; any other list holding it (a
    /// copy made for a snapshot capture or COPY) copies it first. Null: nobody's, always copied.
    /// </summary>
    public object? Owner { get; set; }

    /// <summary>Listpack bytes of the items (<see cref="ListFill.EntrySize"/> summed).</summary>
    public long Bytes { get; private set; }

    /// <summary>Managed bytes held: the two arrays (for MEMORY USAGE).</summary>
    public long HeldBytes => 24 + _data.Length + 24 + (4L * _starts.Capacity);

    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            var start = _starts[index];
            return _data.AsSpan(start, EndOf(index) - start);
        }
    }

    public void PushFront(ReadOnlySpan<byte> item)
    {
        if (_start < item.Length)
        {
            MakeRoom(item.Length, atFront: true);
        }
        _start -= item.Length;
        item.CopyTo(_data.AsSpan(_start));
        _starts.PushFront(_start);
        Bytes += ListFill.EntrySize(item.Length);
    }

    public void PushBack(ReadOnlySpan<byte> item)
    {
        if (_data.Length - _end < item.Length)
        {
            MakeRoom(item.Length, atFront: false);
        }
        item.CopyTo(_data.AsSpan(_end));
        _starts.PushBack(_end);
        _end += item.Length;
        Bytes += ListFill.EntrySize(item.Length);
    }

    /// <summary>Inserts so that <paramref name="item"/> ends up at <paramref name="index"/> (0..Count); the items after it move up.</summary>
    public void Insert(int index, ReadOnlySpan<byte> item)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)index, (uint)Count, nameof(index));
        if (index == 0)
        {
            PushFront(item);
            return;
        }
        if (index == Count)
        {
            PushBack(item);
            return;
        }
        if (_data.Length - _end < item.Length)
        {
            MakeRoom(item.Length, atFront: false);
        }
        var at = _starts[index];
        _data.AsSpan(at, _end - at).CopyTo(_data.AsSpan(at + item.Length));
        item.CopyTo(_data.AsSpan(at));
        _end += item.Length;
        for (var i = index; i < _starts.Count; i++)
        {
            _starts[i] += item.Length;
        }
        _starts.Insert(index, at);
        Bytes += ListFill.EntrySize(item.Length);
    }

    public void RemoveAt(int index)
    {
        var at = _starts[index];
        var length = EndOf(index) - at;
        Bytes -= ListFill.EntrySize(length);
        if (index == 0)
        {
            _starts.PopFront();
            _start += length;
        }
        else if (index == Count - 1)
        {
            _starts.PopBack();
            _end = at;
        }
        else
        {
            _data.AsSpan(at + length, _end - at - length).CopyTo(_data.AsSpan(at));
            _end -= length;
            _starts.RemoveAt(index);
            for (var i = index; i < _starts.Count; i++)
            {
                _starts[i] -= length;
            }
        }
        CentreIfEmpty();
    }

    /// <summary>Replaces the item at <paramref name="index"/> (LSET).</summary>
    public void Replace(int index, ReadOnlySpan<byte> item)
    {
        var at = _starts[index];
        var length = EndOf(index) - at;
        if (item.Length == length)
        {
            item.CopyTo(_data.AsSpan(at));
            return;
        }
        RemoveAt(index);
        Insert(index, item);
    }

    /// <summary>Moves the items from <paramref name="index"/> on into a new node of the same <see cref="Owner"/> (splitting an overfull one).</summary>
    public ListChunk SplitFrom(int index)
    {
        var upper = CopyFrom(index);
        upper.Owner = Owner;
        _end = _starts[index];
        while (_starts.Count > index)
        {
            _starts.PopBack();
        }
        Bytes -= upper.Bytes;
        CentreIfEmpty();
        return upper;
    }

    /// <summary>Appends every item of <paramref name="other"/> (merging two nodes), leaving it as it was.</summary>
    public void AppendAll(ListChunk other)
    {
        for (var i = 0; i < other.Count; i++)
        {
            PushBack(other[i]);
        }
    }

    /// <summary>A node with the same items, sharing nothing with this one.</summary>
    public ListChunk Clone() => CopyFrom(0);

    /// <summary>A new node holding copies of the items from <paramref name="index"/> on, in an array just their size.</summary>
    private ListChunk CopyFrom(int index)
    {
        var copy = new ListChunk(Count - index, index < Count ? _end - _starts[index] : 0);
        copy._start = copy._end = 0;
        for (var i = index; i < Count; i++)
        {
            copy.PushBack(this[i]);
        }
        return copy;
    }

    /// <summary>
    /// Writes the items for a snapshot (the caller writes their count): each one's length, then all their
    /// bytes in one run (they lie in order in one array), so a long list costs a varint an item and one copy.
    /// </summary>
    public void WriteSnapshot(SnapshotWriter writer)
    {
        if (Count == 0)
        {
            return;
        }
        // An item ends where the next one starts, the last at _end.
        _starts.GetRuns(out var first, out var second);
        var lastStart = WriteLengths(writer, first[1..], _start);
        lastStart = WriteLengths(writer, second, lastStart);
        writer.WriteVarint((ulong)(_end - lastStart));
        writer.WriteBytesRaw(_data.AsSpan(_start, _end - _start));
    }

    /// <summary>
    /// Writes the length of each item that ends at one of <paramref name="nextStarts"/>, the first starting at
    /// <paramref name="start"/>; returns the last of them. Straight into the writer's buffer, a batch at a
    /// time: a long list's snapshot spends most of its time here, one varint an item.
    /// </summary>
    private static int WriteLengths(SnapshotWriter writer, ReadOnlySpan<int> nextStarts, int start)
    {
        const int ItemsPerBatch = 4096;
        while (!nextStarts.IsEmpty)
        {
            var batch = nextStarts[..Math.Min(ItemsPerBatch, nextStarts.Length)];
            var room = writer.GetSpan(batch.Length * Varint.MaxLength32);
            var used = 0;
            foreach (var next in batch)
            {
                var length = (uint)(next - start);
                if (length < 0x80)
                {
                    room[used++] = (byte)length;
                }
                else
                {
                    used += Varint.Write(room[used..], length);
                }
                start = next;
            }
            writer.Advance(used);
            nextStarts = nextStarts[batch.Length..];
        }
        return start;
    }

    /// <summary>Reads what <see cref="WriteSnapshot"/> wrote for <paramref name="count"/> items (at least 1).</summary>
    public static ListChunk ReadSnapshot(SnapshotReader reader, int count)
    {
        var chunk = ForSnapshotItems(count);
        long bytes = 0;
        for (var i = 0; i < count; i++)
        {
            var length = reader.ReadVarint();
            if (length > (ulong)(Array.MaxLength - bytes))
            {
                throw new InvalidDataException($"snapshot list item length {length} is out of range");
            }
            chunk._starts.PushBack((int)bytes);
            chunk.Bytes += ListFill.EntrySize((int)length);
            bytes += (long)length;
        }
        chunk._data = GC.AllocateUninitializedArray<byte>((int)Math.Max(MinCapacity, bytes));
        reader.ReadExactly(chunk._data.AsSpan(0, (int)bytes));
        chunk._start = 0;
        chunk._end = (int)bytes;
        return chunk;
    }

    /// <summary>Reads <paramref name="count"/> items as snapshots before 2026-12-05 wrote them: each behind its own length.</summary>
    public static ListChunk ReadUnpackedSnapshot(SnapshotReader reader, int count)
    {
        var chunk = ForSnapshotItems(count);
        for (var i = 0; i < count; i++)
        {
            chunk.PushBack(reader.ReadBytes());
        }
        return chunk;
    }

    /// <summary>An empty node for a snapshot's items: the count is not checked against anything yet (the checksum comes at the end), so room starts small.</summary>
    private static ListChunk ForSnapshotItems(int count) => new(Math.Min(count, 1024));

    /// <summary>An empty node keeps its room split evenly between the ends, whichever end grows next.</summary>
    private void CentreIfEmpty()
    {
        if (Count == 0)
        {
            _start = _end = _data.Length / 2;
        }
    }

    private int EndOf(int index) => index + 1 < _starts.Count ? _starts[index + 1] : _end;

    /// <summary>
    /// Makes room for <paramref name="needed"/> bytes at one end: moves the items within the array
    /// when it has room to spare, else into one twice the size they need; either way most of the
    /// free room goes to the end that is growing.
    /// </summary>
    private void MakeRoom(int needed, bool atFront)
    {
        var used = _end - _start;
        var target = _data.Length - used >= (2L * needed) + (used / 2)
            ? _data
            : new byte[Math.Min(Array.MaxLength, Math.Max(MinCapacity, 2L * (used + needed)))];
        var free = target.Length - used;
        var start = atFront ? Math.Max(needed, free - (free / 4)) : Math.Min(free / 4, free - needed);
        _data.AsSpan(_start, used).CopyTo(target.AsSpan(start));
        var shift = start - _start;
        for (var i = 0; i < _starts.Count; i++)
        {
            _starts[i] += shift;
        }
        _data = target;
        _start = start;
        _end = start + used;
    }
}
