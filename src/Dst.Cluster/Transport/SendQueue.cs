namespace Dst.Cluster.Transport;

/// <summary>
/// The bounded queue of messages waiting for one peer. Many threads enqueue; one writer loop
/// takes everything at once by swapping two lists, so a drain costs no copy and no allocation.
/// </summary>
internal sealed class SendQueue(int capacity)
{
    private readonly Lock _gate = new();
    private List<GroupMessage> _pending = new(Math.Min(capacity, 1024));
    private List<GroupMessage>? _spare = new(Math.Min(capacity, 1024));

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    public bool IsEmpty => Count == 0;

    /// <summary>
    /// Queues a message unless the queue is full. <paramref name="wasEmpty"/> tells the caller to
    /// wake the writer: only the first message after a drain needs to.
    /// </summary>
    public bool TryEnqueue(in GroupMessage message, out bool wasEmpty)
    {
        lock (_gate)
        {
            wasEmpty = _pending.Count == 0;
            if (_pending.Count >= capacity)
            {
                return false;
            }
            _pending.Add(message);
            return true;
        }
    }

    /// <summary>Takes every queued message; hand the list back with <see cref="Recycle"/> when done.</summary>
    public List<GroupMessage> TakeAll()
    {
        lock (_gate)
        {
            var taken = _pending;
            _pending = _spare ?? new List<GroupMessage>();
            _spare = null;
            return taken;
        }
    }

    public void Recycle(List<GroupMessage> drained)
    {
        // Clearing drops the references to entry data so the frames they alias can be collected.
        drained.Clear();
        lock (_gate)
        {
            _spare = drained;
        }
    }

    /// <summary>Discards everything queued (the connection is gone); returns how many were discarded.</summary>
    public int Clear()
    {
        lock (_gate)
        {
            var count = _pending.Count;
            _pending.Clear();
            return count;
        }
    }
}
