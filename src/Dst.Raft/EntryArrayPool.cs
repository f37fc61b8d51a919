namespace Dst.Raft;

/// <summary>
/// Recycles the <see cref="Message.Entries"/> arrays of append messages, so a leader in steady
/// state allocates nothing per entry. Opt-in through <see cref="RaftConfig.EntryArrayPool"/>.
/// <para>
/// Ownership: with a pool configured, every append message leaving the leader carries an array of
/// its own, rented from the pool, whose length is exactly its entry count. The application (its
/// transport) owns that array once the Ready is handed over and gives it back with
/// <see cref="Return"/> after its last use: after encoding it onto the wire, or after stepping it
/// into the in-process target (a receiving node copies entries into its own log and keeps no
/// reference to the array). A message sent twice is returned once, after the second send; a
/// message that is dropped may simply be forgotten. Only the array is recycled, never the entries'
/// <see cref="Entry.Data"/>, which storage may keep referencing.
/// </para>
/// Thread-safe: the core rents on its own thread, a transport may return from another.
/// </summary>
public sealed class EntryArrayPool
{
    private readonly Dictionary<int, Stack<Entry[]>> _byLength = [];
    private readonly int _maxPooledEntries;
    private int _pooledEntries;

    /// <param name="maxPooledEntries">Total entry slots kept across all idle arrays; returns beyond it are left to the GC.</param>
    public EntryArrayPool(int maxPooledEntries = 1 << 16)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPooledEntries);
        _maxPooledEntries = maxPooledEntries;
    }

    /// <summary>Entry slots currently held by idle arrays.</summary>
    public int PooledEntries
    {
        get
        {
            lock (_byLength)
            {
                return _pooledEntries;
            }
        }
    }

    /// <summary>An array of exactly <paramref name="length"/> entries (its contents are to be overwritten).</summary>
    public Entry[] Rent(int length)
    {
        if (length == 0)
        {
            return [];
        }
        lock (_byLength)
        {
            if (_byLength.TryGetValue(length, out var idle) && idle.TryPop(out var array))
            {
                _pooledEntries -= length;
                return array;
            }
        }
        return new Entry[length];
    }

    /// <summary>Gives back an array rented here. It must not be read or written afterwards.</summary>
    public void Return(Entry[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Length == 0)
        {
            return;
        }
        // Release the payloads now: an idle array must not keep entry data alive.
        Array.Clear(array);
        lock (_byLength)
        {
            if (_pooledEntries + array.Length > _maxPooledEntries)
            {
                return;
            }
            if (!_byLength.TryGetValue(array.Length, out var idle))
            {
                idle = new Stack<Entry[]>();
                _byLength[array.Length] = idle;
            }
            idle.Push(array);
            _pooledEntries += array.Length;
        }
    }
}
