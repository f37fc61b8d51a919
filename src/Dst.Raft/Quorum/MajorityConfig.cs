namespace Dst.Raft.Quorum;

/// <summary>A set of voters where any strict majority decides.</summary>
public sealed class MajorityConfig
{
    private readonly ulong[] _ids;

    public MajorityConfig(IEnumerable<ulong> ids)
    {
        _ids = ids.Distinct().Order().ToArray();
    }

    public static readonly MajorityConfig Empty = new([]);

    public IReadOnlyList<ulong> Ids => _ids;

    public int Count => _ids.Length;

    public bool Contains(ulong id) => Array.BinarySearch(_ids, id) >= 0;

    /// <summary>
    /// The largest index acknowledged by a majority. An empty configuration returns
    /// <see cref="ulong.MaxValue"/> so that it never constrains a joint configuration.
    /// </summary>
    public ulong CommittedIndex(IAckedIndexer indexer)
    {
        var n = _ids.Length;
        if (n == 0)
        {
            return ulong.MaxValue;
        }
        Span<ulong> acked = n <= 16 ? stackalloc ulong[n] : new ulong[n];
        for (var i = 0; i < n; i++)
        {
            acked[i] = indexer.TryGetAckedIndex(_ids[i], out var index) ? index : 0;
        }
        acked.Sort();
        // Sorted ascending, the value at n - (n/2 + 1) is held by at least a majority.
        return acked[n - (n / 2 + 1)];
    }

    /// <summary>Tallies votes: a missing entry is a vote not yet received.</summary>
    public VoteResult Tally(IReadOnlyDictionary<ulong, bool> votes)
    {
        if (_ids.Length == 0)
        {
            return VoteResult.Won;
        }
        int granted = 0, missing = 0;
        foreach (var id in _ids)
        {
            if (!votes.TryGetValue(id, out var vote))
            {
                missing++;
            }
            else if (vote)
            {
                granted++;
            }
        }
        var quorum = _ids.Length / 2 + 1;
        if (granted >= quorum)
        {
            return VoteResult.Won;
        }
        return granted + missing >= quorum ? VoteResult.Pending : VoteResult.Lost;
    }

    public override string ToString() => $"({string.Join(" ", _ids)})";
}
