namespace Dst.Raft.Quorum;

/// <summary>
/// Two majority configurations that must both agree: the incoming one, and the outgoing one while
/// a joint-consensus change is in progress (empty otherwise).
/// </summary>
public sealed class JointConfig(MajorityConfig incoming, MajorityConfig outgoing)
{
    public MajorityConfig Incoming { get; } = incoming;
    public MajorityConfig Outgoing { get; } = outgoing;

    public bool IsJoint => Outgoing.Count > 0;

    public bool Contains(ulong id) => Incoming.Contains(id) || Outgoing.Contains(id);

    public IEnumerable<ulong> Ids => Incoming.Ids.Union(Outgoing.Ids).Order();

    public ulong CommittedIndex(IAckedIndexer indexer) =>
        Math.Min(Incoming.CommittedIndex(indexer), Outgoing.CommittedIndex(indexer));

    public VoteResult Tally(IReadOnlyDictionary<ulong, bool> votes)
    {
        var first = Incoming.Tally(votes);
        var second = Outgoing.Tally(votes);
        if (first == second)
        {
            return first;
        }
        return first == VoteResult.Lost || second == VoteResult.Lost ? VoteResult.Lost : VoteResult.Pending;
    }

    public override string ToString() => IsJoint ? $"{Incoming}&&{Outgoing}" : Incoming.ToString();
}
