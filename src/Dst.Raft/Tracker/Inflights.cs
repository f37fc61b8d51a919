namespace Dst.Raft.Tracker;

/// <summary>
/// The append messages sent to one follower and not yet acknowledged, limited by count and by
/// bytes: a ring buffer of (last index, payload bytes) in send order.
/// </summary>
public sealed class Inflights(int capacity, ulong maxBytes)
{
    private readonly (ulong Index, ulong Bytes)[] _ring = new (ulong, ulong)[Math.Max(1, capacity)];
    private int _start;

    public int Count { get; private set; }

    public ulong Bytes { get; private set; }

    public bool Full => Count == _ring.Length || (maxBytes != 0 && Bytes >= maxBytes);

    public void Add(ulong index, ulong bytes)
    {
        if (Count == _ring.Length)
        {
            throw new RaftInvariantException("inflights overflow: caller must check Full first");
        }
        if (Count > 0 && _ring[(_start + Count - 1) % _ring.Length].Index >= index)
        {
            throw new RaftInvariantException($"inflight index {index} is not increasing");
        }
        _ring[(_start + Count) % _ring.Length] = (index, bytes);
        Count++;
        Bytes += bytes;
    }

    /// <summary>Frees every inflight message whose last index is at most <paramref name="index"/>.</summary>
    public void FreeLE(ulong index)
    {
        while (Count > 0 && _ring[_start].Index <= index)
        {
            Bytes -= _ring[_start].Bytes;
            _start = (_start + 1) % _ring.Length;
            Count--;
        }
        if (Count == 0)
        {
            _start = 0;
        }
    }

    /// <summary>Frees the oldest inflight message, if any (its answer is presumed lost).</summary>
    public void FreeFirstOne()
    {
        if (Count > 0)
        {
            FreeLE(_ring[_start].Index);
        }
    }

    public void Reset()
    {
        Count = 0;
        Bytes = 0;
        _start = 0;
    }
}
