using Dst.Raft;

namespace Dst.Cluster.Hosting;

/// <summary>
/// What ROLE, INFO replication, routing and WAIT need to know about a group, published by the host
/// after every round so other threads read a consistent picture without touching the Raft node.
/// </summary>
public sealed record GroupStatus(
    ulong GroupId,
    ulong NodeId,
    StateRole Role,
    ulong Term,
    ulong LeaderId,
    ulong CommitIndex,
    ulong AppliedIndex,
    ulong LastIndex,
    ulong SnapshotIndex,
    IReadOnlyList<ulong> Voters,
    IReadOnlyList<ulong> Learners,
    IReadOnlyList<PeerStatus> Peers,
    IReadOnlyDictionary<ulong, NodeAddress> Addresses,
    ulong FirstIndex,
    ulong DurableIndex)
{
    public bool IsLeader => Role == StateRole.Leader;

    public NodeAddress? LeaderAddress => LeaderId != 0 && Addresses.TryGetValue(LeaderId, out var address) ? address : null;

    /// <summary>How many voters other than this node durably hold every entry up to <paramref name="index"/>.</summary>
    public int OtherVotersHolding(ulong index) => Peers.Count(peer => peer.IsVoter && peer.Match >= index);
}

/// <summary>The leader's view of one other member (Match 0 on followers, which do not track peers).</summary>
public readonly record struct PeerStatus(ulong NodeId, bool IsVoter, ulong Match, bool RecentActive, string State);
