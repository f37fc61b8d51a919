namespace Dst.Commands.Lists;

/// <summary>
/// A growable ring buffer: O(1) at both ends, O(1) by index, O(min(i, n - i)) insert and remove in
/// the middle (the shorter side moves). Starts small so the many short lists stay small.
/// </summary>
internal sealed class Deque<T>
{
    private const int MinCapacity = 4;

    private T[] _items;
    private int _head;

    public Deque(int capacity = MinCapacity) => _items = new T[Math.Max(MinCapacity, capacity)];

    public int Count { get; private set; }

    public int Capacity => _items.Length;

    public T this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            return _items[Physical(index)];
        }
        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            _items[Physical(index)] = value;
        }
    }

    public T First => this[0];

    public T Last => this[Count - 1];

    /// <summary>The items in order, as the ring's two runs: from the head, then from the array's start (empty unless the ring wraps).</summary>
    public void GetRuns(out ReadOnlySpan<T> first, out ReadOnlySpan<T> second)
    {
        var firstLength = Math.Min(Count, _items.Length - _head);
        first = _items.AsSpan(_head, firstLength);
        second = _items.AsSpan(0, Count - firstLength);
    }

    public void PushFront(T item)
    {
        EnsureRoom();
        _head = _head == 0 ? _items.Length - 1 : _head - 1;
        _items[_head] = item;
        Count++;
    }

    public void PushBack(T item)
    {
        EnsureRoom();
        _items[Physical(Count)] = item;
        Count++;
    }

    public T PopFront()
    {
        var item = First;
        _items[_head] = default!;
        _head = _head + 1 == _items.Length ? 0 : _head + 1;
        Count--;
        return item;
    }

    public T PopBack()
    {
        var item = Last;
        _items[Physical(Count - 1)] = default!;
        Count--;
        return item;
    }

    /// <summary>Inserts so that the item ends up at <paramref name="index"/> (0..Count).</summary>
    public void Insert(int index, T item)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)index, (uint)Count, nameof(index));
        if (index < Count / 2)
        {
            PushFront(item);
            for (var i = 0; i < index; i++)
            {
                this[i] = this[i + 1];
            }
        }
        else
        {
            PushBack(item);
            for (var i = Count - 1; i > index; i--)
            {
                this[i] = this[i - 1];
            }
        }
        this[index] = item;
    }

    public T RemoveAt(int index)
    {
        var item = this[index];
        if (index < Count / 2)
        {
            for (var i = index; i > 0; i--)
            {
                this[i] = this[i - 1];
            }
            PopFront();
        }
        else
        {
            for (var i = index; i < Count - 1; i++)
            {
                this[i] = this[i + 1];
            }
            PopBack();
        }
        return item;
    }

    private int Physical(int index)
    {
        var physical = _head + index;
        return physical >= _items.Length ? physical - _items.Length : physical;
    }

    private void EnsureRoom()
    {
        if (Count < _items.Length)
        {
            return;
        }
        var grown = new T[_items.Length * 2];
        for (var i = 0; i < Count; i++)
        {
            grown[i] = _items[Physical(i)];
        }
        _items = grown;
        _head = 0;
    }
}
