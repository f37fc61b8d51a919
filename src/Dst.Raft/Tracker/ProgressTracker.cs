using Dst.Raft.Quorum;

namespace Dst.Raft.Tracker;

/// <summary>The leader's (and a candidate's) view of the group: configuration, progress per peer, votes.</summary>
public sealed class ProgressTracker
{
    private readonly Dictionary<ulong, Progress> _progress = [];
    private readonly Dictionary<ulong, bool> _votes = [];
    private readonly MatchIndexer _matchIndexer;
    private readonly AckedRoundIndexer _roundIndexer;
    private ulong[] _sortedIds = [];

    public ProgressTracker(int maxInflight, ulong maxInflightBytes)
    {
        MaxInflight = maxInflight;
        MaxInflightBytes = maxInflightBytes;
        _matchIndexer = new MatchIndexer(_progress);
        _roundIndexer = new AckedRoundIndexer(_progress);
    }

    public int MaxInflight { get; }
    public ulong MaxInflightBytes { get; }

    public TrackerConfig Config { get; private set; } = TrackerConfig.Empty;

    /// <summary>Peer ids in ascending order (stable iteration without allocation).</summary>
    public ReadOnlySpan<ulong> Ids => _sortedIds;

    // TryGetValue on the concrete dictionary: GetValueOrDefault would bind to the
    // IReadOnlyDictionary extension and pay an interface dispatch on every message.
    public Progress? this[ulong id] => _progress.TryGetValue(id, out var progress) ? progress : null;

    public IReadOnlyDictionary<ulong, bool> Votes => _votes;

    /// <summary>Installs a configuration: creates progress for new peers with Next = <paramref name="nextIndex"/>, drops removed ones.</summary>
    public void ApplyConfig(TrackerConfig config, ulong nextIndex)
    {
        Config = config;
        var ids = config.AllIds.Order().ToArray();
        foreach (var stale in _progress.Keys.Except(ids).ToArray())
        {
            _progress.Remove(stale);
        }
        foreach (var id in ids)
        {
            if (!_progress.TryGetValue(id, out var progress))
            {
                // New peers start in probe at the leader's last index and count as active, so
                // CheckQuorum does not step down before they had a chance to answer.
                progress = new Progress(Math.Max(nextIndex, 1), MaxInflight, MaxInflightBytes, false) { RecentActive = true };
                _progress[id] = progress;
            }
            progress.IsLearner = config.Learners.Contains(id);
        }
        _sortedIds = ids;
    }

    public bool IsSingleton => Config.Incoming.Count == 1 && !Config.IsJoint;

    public bool IsVoter(ulong id) => Config.Voters.Contains(id);

    /// <summary>The largest index replicated on a quorum (both halves of a joint config).</summary>
    public ulong Committed() => Config.Voters.CommittedIndex(_matchIndexer);

    /// <summary>The largest heartbeat round acknowledged by a quorum.</summary>
    public ulong QuorumAckedRound() => Config.Voters.CommittedIndex(_roundIndexer);

    /// <summary>Whether a quorum of voters has been heard from recently (CheckQuorum).</summary>
    public bool QuorumActive(ulong self)
    {
        var votes = new Dictionary<ulong, bool>();
        foreach (var (id, progress) in _progress)
        {
            if (!progress.IsLearner)
            {
                votes[id] = id == self || progress.RecentActive;
            }
        }
        return Config.Voters.Tally(votes) == VoteResult.Won;
    }

    public void ResetVotes() => _votes.Clear();

    public void RecordVote(ulong id, bool granted) => _votes.TryAdd(id, granted);

    public (int Granted, int Rejected, VoteResult Result) TallyVotes()
    {
        int granted = 0, rejected = 0;
        foreach (var (id, vote) in _votes)
        {
            if (!IsVoter(id))
            {
                continue;
            }
            if (vote)
            {
                granted++;
            }
            else
            {
                rejected++;
            }
        }
        return (granted, rejected, Config.Voters.Tally(_votes));
    }

    private sealed class MatchIndexer(Dictionary<ulong, Progress> progress) : IAckedIndexer
    {
        public bool TryGetAckedIndex(ulong voterId, out ulong index)
        {
            var found = progress.TryGetValue(voterId, out var p);
            index = found ? p!.Match : 0;
            return found;
        }
    }

    private sealed class AckedRoundIndexer(Dictionary<ulong, Progress> progress) : IAckedIndexer
    {
        public bool TryGetAckedIndex(ulong voterId, out ulong index)
        {
            var found = progress.TryGetValue(voterId, out var p);
            index = found ? p!.AckedRound : 0;
            return found;
        }
    }
}
