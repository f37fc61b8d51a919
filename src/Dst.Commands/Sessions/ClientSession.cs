namespace Dst.Commands.Sessions;

/// <summary>
/// One exactly-once session: the replies to its applied writes that the client may still ask for
/// again, in sequence order. Sequences at or below <see cref="AckedThrough"/> are settled (the client
/// holds their replies); sequences at or below <see cref="TruncatedThrough"/> lost their replies to
/// the per-session bound, so a retry of one of them cannot be answered and is refused.
/// </summary>
public sealed class ClientSession(ulong id)
{
    private readonly List<(ulong Sequence, byte[] Reply)> _replies = [];

    public ulong Id { get; } = id;

    public ulong AckedThrough { get; internal set; }

    public ulong TruncatedThrough { get; internal set; }

    /// <summary>Log index of the last entry of this session: the eviction order (least recently used first).</summary>
    public ulong LastUsedIndex { get; internal set; }

    // Neighbours in the table's least-recently-used list.
    internal ClientSession? Older { get; set; }

    internal ClientSession? Newer { get; set; }

    public int ReplyCount => _replies.Count;

    public IReadOnlyList<(ulong Sequence, byte[] Reply)> Replies => _replies;

    /// <summary>The kept reply of <paramref name="sequence"/>, or null when it was never applied or is no longer kept.</summary>
    public byte[]? ReplyOf(ulong sequence)
    {
        var at = IndexOf(sequence);
        return at >= 0 ? _replies[at].Reply : null;
    }

    /// <summary>Keeps the reply of a newly applied sequence, dropping the oldest beyond <paramref name="maxReplies"/>.</summary>
    internal void Keep(ulong sequence, byte[] reply, int maxReplies)
    {
        var at = IndexOf(sequence);
        if (at >= 0)
        {
            throw new InvalidOperationException($"session {Id} sequence {sequence} is already applied");
        }
        // Sequences almost always arrive in order; a retry after a leader change may arrive late.
        _replies.Insert(~at, (sequence, reply));
        while (_replies.Count > maxReplies)
        {
            TruncatedThrough = Math.Max(TruncatedThrough, _replies[0].Sequence);
            _replies.RemoveAt(0);
        }
    }

    /// <summary>The client holds every reply through <paramref name="sequence"/>: forget them.</summary>
    internal void Acknowledge(ulong sequence)
    {
        if (sequence <= AckedThrough)
        {
            return;
        }
        AckedThrough = sequence;
        var settled = 0;
        while (settled < _replies.Count && _replies[settled].Sequence <= sequence)
        {
            settled++;
        }
        _replies.RemoveRange(0, settled);
    }

    internal void Load(ulong sequence, byte[] reply) => _replies.Add((sequence, reply));

    private int IndexOf(ulong sequence)
    {
        int low = 0, high = _replies.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var candidate = _replies[middle].Sequence;
            if (candidate == sequence)
            {
                return middle;
            }
            if (candidate < sequence)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return ~low;
    }
}
