namespace Dst.Cli.Cluster;

/// <summary>One member in <c>--cluster status</c>: where it is, what it is, and how far the leader knows it has the log.</summary>
public sealed record MemberStatus(ulong Id, string Address, bool IsVoter, bool IsLeader, ulong Match, ulong Lag, bool Online);

/// <summary>The leader's account of the cluster, as <c>--cluster status</c> prints it.</summary>
public sealed record ClusterStatus(ReplicationInfo Leader, NodeEndpoint LeaderEndpoint, IReadOnlyList<MemberStatus> Members)
{
    /// <summary>
    /// Joins the leader's INFO replication (membership, each follower's match index and lag) with its
    /// CLUSTER NODES (each member's announced <c>host:port@cport</c>).
    /// </summary>
    public static ClusterStatus From(ReplicationInfo leader, NodeEndpoint leaderEndpoint, IReadOnlyDictionary<ulong, string> addresses)
    {
        var members = new List<MemberStatus>();
        foreach (var id in leader.Voters.Concat(leader.Learners).Distinct().Order())
        {
            var isVoter = leader.Voters.Contains(id);
            var follower = leader.Followers.FirstOrDefault(f => f.NodeId == id);
            var address = addresses.TryGetValue(id, out var known) ? known
                : follower is not null ? new NodeEndpoint(follower.Host, follower.Port).ToString()
                : id == leader.NodeId ? leaderEndpoint.ToString() : "?";
            members.Add(id == leader.NodeId
                ? new MemberStatus(id, address, isVoter, IsLeader: true, leader.LastIndex, Lag: 0, Online: true)
                : new MemberStatus(id, address, isVoter, IsLeader: false, follower?.Match ?? 0, follower?.Lag ?? leader.LastIndex, follower?.Online ?? false));
        }
        return new ClusterStatus(leader, leaderEndpoint, members);
    }
}
