using Dst.Raft;

namespace Dst.Storage;

/// <summary>
/// The most recent entries of the log in memory, a contiguous run ending at the log's last index,
/// bounded by entry count and payload bytes. Replication reads of the tail (the common case for a
/// leader) are answered here without touching the disk.
/// Entries appended from a span are copied into an <see cref="EntryArena"/>, whose blocks are never
/// reused: an <see cref="Entry"/> handed to a reader stays valid for as long as the reader holds it,
/// after eviction too.
/// </summary>
internal sealed class TailCache
{
    private readonly Entry[] _ring;
    private readonly long _maxBytes;
    private readonly EntryArena _arena = new();
    private int _head;
    private int _count;
    private long _bytes;

    public TailCache(int maxEntries, long maxBytes)
    {
        _ring = new Entry[Math.Max(maxEntries, 0)];
        _maxBytes = maxBytes;
    }

    public int Count => _count;

    /// <summary>Index of the oldest cached entry (meaningful when <see cref="Count"/> &gt; 0).</summary>
    public ulong FirstIndex => _ring[_head].Index;

    public bool TryGet(ulong index, out Entry entry)
    {
        if (_count > 0 && index >= FirstIndex && index - FirstIndex < (ulong)_count)
        {
            entry = _ring[(_head + (int)(index - FirstIndex)) % _ring.Length];
            return true;
        }
        entry = default;
        return false;
    }

    /// <summary>Caches an entry whose data the caller will not mutate (no copy is made).</summary>
    public void Add(in Entry entry)
    {
        if (!MakeRoomFor(entry.Data.Length))
        {
            return;
        }
        _ring[(_head + _count) % _ring.Length] = entry;
        _count++;
        _bytes += entry.Data.Length;
    }

    /// <summary>Caches an entry whose data lives in a caller's buffer, copying it into a chunk.</summary>
    public void AddCopy(ulong term, ulong index, EntryType type, ReadOnlySpan<byte> data)
    {
        if (!MakeRoomFor(data.Length))
        {
            return;
        }
        _ring[(_head + _count) % _ring.Length] = new Entry(term, index, type, _arena.Copy(data));
        _count++;
        _bytes += data.Length;
    }

    /// <summary>Drops cached entries from <paramref name="index"/> on.</summary>
    public void RemoveFrom(ulong index)
    {
        while (_count > 0 && _ring[(_head + _count - 1) % _ring.Length].Index >= index)
        {
            _count--;
            var slot = (_head + _count) % _ring.Length;
            _bytes -= _ring[slot].Data.Length;
            _ring[slot] = default;
        }
    }

    /// <summary>Drops cached entries up to and including <paramref name="index"/>.</summary>
    public void RemoveThrough(ulong index)
    {
        while (_count > 0 && _ring[_head].Index <= index)
        {
            EvictOldest();
        }
    }

    public void Clear() => RemoveThrough(ulong.MaxValue);

    /// <summary>
    /// Evicts old entries until one of <paramref name="size"/> bytes fits. An entry larger than the
    /// whole budget is not cached, and since the cache must stay a contiguous tail, neither is
    /// anything before it.
    /// </summary>
    private bool MakeRoomFor(int size)
    {
        if (_ring.Length == 0 || size > _maxBytes)
        {
            Clear();
            return false;
        }
        while (_count == _ring.Length || (_count > 0 && _bytes + size > _maxBytes))
        {
            EvictOldest();
        }
        return true;
    }

    private void EvictOldest()
    {
        _bytes -= _ring[_head].Data.Length;
        _ring[_head] = default;
        _head = (_head + 1) % _ring.Length;
        _count--;
    }
}
