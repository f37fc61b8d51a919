namespace Dst.Cli.Cluster;

/// <summary>
/// The cluster as seen through one node: that node's own replication info, and the leader's when a
/// leader is known and answered as leader (membership and follower progress are the leader's word;
/// a follower's may lag behind). <see cref="LeaderProblem"/> says why there is no leader view.
/// </summary>
public sealed record ClusterView(ReplicationInfo Via, ReplicationInfo? Leader, NodeEndpoint? LeaderEndpoint, string? LeaderProblem)
{
    public bool HasLeader => Leader is not null;
}
