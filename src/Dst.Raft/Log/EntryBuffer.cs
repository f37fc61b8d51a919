using System.Collections;

namespace Dst.Raft.Log;

/// <summary>
/// A growable run of entries that is appended at the end and consumed from the front, without
/// moving the survivors on every removal (a <see cref="List{T}"/> would memmove them). The live
/// entries are <c>_items[_start .. _start + Count)</c>; freed slots are cleared so the buffer never
/// keeps an entry's data alive after it left.
/// </summary>
internal sealed class EntryBuffer : IReadOnlyList<Entry>
{
    private Entry[] _items = new Entry[16];
    private int _start;

    public int Count { get; private set; }

    public ReadOnlySpan<Entry> Span => _items.AsSpan(_start, Count);

    public Entry this[int index] => (uint)index < (uint)Count
        ? _items[_start + index]
        : throw new ArgumentOutOfRangeException(nameof(index));

    public void Append(ReadOnlySpan<Entry> entries)
    {
        EnsureRoomAtEnd(entries.Length);
        entries.CopyTo(_items.AsSpan(_start + Count));
        Count += entries.Length;
    }

    public void Append(in Entry entry)
    {
        EnsureRoomAtEnd(1);
        _items[_start + Count] = entry;
        Count++;
    }

    /// <summary>Drops the first <paramref name="count"/> entries.</summary>
    public void RemoveFirst(int count)
    {
        _items.AsSpan(_start, count).Clear();
        Count -= count;
        _start = Count == 0 ? 0 : _start + count;
    }

    /// <summary>Keeps only the first <paramref name="count"/> entries.</summary>
    public void Truncate(int count)
    {
        _items.AsSpan(_start + count, Count - count).Clear();
        Count = count;
        if (Count == 0)
        {
            _start = 0;
        }
    }

    public void Clear() => Truncate(0);

    private void EnsureRoomAtEnd(int needed)
    {
        if (_start + Count + needed <= _items.Length)
        {
            return;
        }
        // Slide the live entries to the front, and grow only if that is not enough room.
        var target = Count + needed <= _items.Length / 2 ? _items : new Entry[Math.Max(_items.Length * 2, Count + needed)];
        var live = _items.AsSpan(_start, Count);
        live.CopyTo(target);
        if (ReferenceEquals(target, _items))
        {
            _items.AsSpan(Count, _start).Clear();
        }
        _items = target;
        _start = 0;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<Entry> IEnumerable<Entry>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A struct enumerator, so <c>foreach</c> over the buffer does not allocate.</summary>
    public struct Enumerator(EntryBuffer buffer) : IEnumerator<Entry>
    {
        private int _index = -1;

        public readonly Entry Current => buffer._items[buffer._start + _index];

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < buffer.Count;

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}
