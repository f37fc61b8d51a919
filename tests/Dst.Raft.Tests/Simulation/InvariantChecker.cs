namespace Dst.Raft.Tests.Simulation;

/// <summary>A safety property failed in simulation.</summary>
public sealed class SimulationInvariantException(string message) : Exception(message);

/// <summary>
/// Safety properties checked after every simulation step: election safety (one leader per term),
/// commit index monotonic per incarnation, committed entries never change, leaders hold every
/// committed entry (completeness), applied sequences agree, and periodically log matching.
/// </summary>
public sealed class InvariantChecker
{
    private readonly Dictionary<ulong, ulong> _leaderOfTerm = [];
    private readonly Dictionary<ulong, ulong> _committedTerm = [];
    private readonly Dictionary<ulong, (ulong Term, int Hash)> _applied = [];
    private readonly Dictionary<(ulong Node, int Incarnation), ulong> _lastCommit = [];

    public ulong HighestCommitted { get; private set; }

    public int LeadersElected => _leaderOfTerm.Count;

    public void OnApplied(SimNode node, Entry entry)
    {
        var hash = HashOf(entry.Data.Span);
        if (_applied.TryGetValue(entry.Index, out var seen))
        {
            if (seen.Term != entry.Term || seen.Hash != hash)
            {
                throw new SimulationInvariantException(
                    $"node {node.Id} applied {entry.Term}/{entry.Index} but another node applied {seen.Term}/{entry.Index} there");
            }
        }
        else
        {
            _applied[entry.Index] = (entry.Term, hash);
        }
    }

    public void CheckStep(IEnumerable<SimNode> nodes, bool checkLogMatching)
    {
        var live = nodes.Where(n => n.IsUp).ToList();
        foreach (var node in live)
        {
            var raft = node.Raw!.Raft;
            if (raft.State == StateRole.Leader)
            {
                if (_leaderOfTerm.TryGetValue(raft.Term, out var other) && other != raft.Id)
                {
                    throw new SimulationInvariantException($"two leaders in term {raft.Term}: {other} and {raft.Id}");
                }
                if (_leaderOfTerm.TryAdd(raft.Term, raft.Id))
                {
                    CheckLeaderCompleteness(raft);
                }
            }
            var key = (node.Id, node.Incarnation);
            var commit = raft.Log.Committed;
            if (_lastCommit.TryGetValue(key, out var last) && commit < last)
            {
                throw new SimulationInvariantException($"node {node.Id} commit index went back from {last} to {commit}");
            }
            if (commit > last || !_lastCommit.ContainsKey(key))
            {
                VerifyCommitted(raft, Math.Max(last + 1, raft.Log.FirstIndex), commit);
                _lastCommit[key] = commit;
            }
        }
        if (checkLogMatching)
        {
            for (var i = 0; i < live.Count; i++)
            {
                for (var j = i + 1; j < live.Count; j++)
                {
                    CheckLogMatching(live[i].Node(), live[j].Node());
                }
            }
        }
    }

    private void VerifyCommitted(RaftNode raft, ulong from, ulong to)
    {
        for (var index = from; index <= to; index++)
        {
            if (!raft.Log.TryTerm(index, out var term))
            {
                continue; // compacted: covered by the snapshot
            }
            if (_committedTerm.TryGetValue(index, out var known))
            {
                if (known != term)
                {
                    throw new SimulationInvariantException(
                        $"node {raft.Id} has committed {term}/{index}, but {known}/{index} was committed before");
                }
            }
            else
            {
                _committedTerm[index] = term;
            }
        }
        HighestCommitted = Math.Max(HighestCommitted, to);
    }

    /// <summary>A new leader must hold every entry ever committed (Leader Completeness, §5.4).</summary>
    private void CheckLeaderCompleteness(RaftNode leader)
    {
        for (var index = leader.Log.FirstIndex; index <= HighestCommitted; index++)
        {
            if (!_committedTerm.TryGetValue(index, out var term))
            {
                continue;
            }
            if (!leader.Log.TryTerm(index, out var held) || held != term)
            {
                throw new SimulationInvariantException(
                    $"leader {leader.Id} of term {leader.Term} lacks committed entry {term}/{index}");
            }
        }
    }

    /// <summary>Log Matching (§5.3): if two logs agree on an entry's term they agree on everything before it.</summary>
    private static void CheckLogMatching(RaftNode a, RaftNode b)
    {
        var low = Math.Max(a.Log.FirstIndex, b.Log.FirstIndex);
        var high = Math.Min(a.Log.LastIndex, b.Log.LastIndex);
        var index = high;
        while (index >= low && a.Log.TermOrZero(index) != b.Log.TermOrZero(index))
        {
            index--;
        }
        for (; index >= low && index > 0; index--)
        {
            if (a.Log.TermOrZero(index) != b.Log.TermOrZero(index))
            {
                throw new SimulationInvariantException(
                    $"log matching violated between {a.Id} and {b.Id} at index {index}");
            }
        }
    }

    private static int HashOf(ReadOnlySpan<byte> data)
    {
        var hash = new HashCode();
        hash.AddBytes(data);
        return hash.ToHashCode();
    }
}

internal static class SimNodeExtensions
{
    public static RaftNode Node(this SimNode node) => node.Raw!.Raft;
}
