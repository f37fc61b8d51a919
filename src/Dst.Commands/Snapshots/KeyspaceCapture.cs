namespace Dst.Commands.Snapshots;

/// <summary>
/// The keyspace as it was at one moment: a shallow copy of the key table's items, in table order,
/// taken in a short pause (one array copy). The items are packed strings and stored objects that the
/// keyspace no longer changes in place while the capture is open (copy-on-write, see
/// <see cref="Keyspace.ObjectForWrite"/>), so the capture can be serialized from any thread while
/// writes go on. Disposing it ends the copy-on-write.
/// </summary>
internal sealed class KeyspaceCapture : IDisposable
{
    private readonly Keyspace _owner;
    private int _open = 1;

    public KeyspaceCapture(Keyspace owner, object?[] items, int count, long epoch)
    {
        _owner = owner;
        Items = items;
        Count = count;
        Epoch = epoch;
    }

    /// <summary>The table's slots at capture time; null for an empty slot.</summary>
    public object?[] Items { get; }

    /// <summary>Keys held at capture time (expired ones not yet deleted included).</summary>
    public int Count { get; }

    /// <summary>Objects built before this epoch may be referenced by <see cref="Items"/>.</summary>
    public long Epoch { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _open, 0) == 1)
        {
            _owner.EndCapture(Items);
        }
    }
}
