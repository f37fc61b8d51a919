using System.Globalization;

namespace Dst.Cli.Cluster;

/// <summary>One follower as the leader's <c>INFO replication</c> describes it (a <c>slaveN:</c> line).</summary>
public sealed record FollowerProgress(ulong NodeId, string Host, int Port, ulong Match, ulong Lag, bool IsVoter, bool Online);

/// <summary>
/// One node's <c>INFO replication</c>, read into what the cluster admin needs: its Raft role and
/// term, whom it believes leads (and at which client address), the membership, its indexes, and on a
/// leader the progress of every follower.
/// </summary>
public sealed record ReplicationInfo(
    ulong NodeId,
    string RaftRole,
    ulong Term,
    ulong LeaderId,
    ulong CommitIndex,
    ulong AppliedIndex,
    ulong LastIndex,
    IReadOnlyList<ulong> Voters,
    IReadOnlyList<ulong> Learners,
    NodeEndpoint? LeaderEndpoint,
    IReadOnlyList<FollowerProgress> Followers)
{
    public bool IsLeader => RaftRole == "leader";

    public bool IsMember(ulong id) => Voters.Contains(id) || Learners.Contains(id);

    public static ReplicationInfo Parse(string info)
    {
        var fields = InfoText.Fields(info);
        string Text(string name) => fields.TryGetValue(name, out var value) ? value : "";
        ulong Number(string name) => ulong.TryParse(Text(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
        var followers = fields.Where(field => field.Key.StartsWith("slave", StringComparison.Ordinal) && field.Key[5..].All(char.IsAsciiDigit) && field.Key.Length > 5)
            .Select(field => Follower(field.Value)).ToList();
        var masterPort = (int)Number("master_port");
        return new ReplicationInfo(
            Number("raft_node_id"),
            Text("raft_role"),
            Number("raft_term"),
            Number("raft_leader_id"),
            Number("raft_commit_index"),
            Number("raft_applied_index"),
            Number("raft_last_index"),
            Ids(Text("raft_voters")),
            Ids(Text("raft_learners")),
            Text("master_host") is { Length: > 0 } host && masterPort > 0 ? new NodeEndpoint(host, masterPort) : null,
            followers);
    }

    /// <summary>Reads <c>ip=..,port=..,state=..,offset=..,lag=..,node_id=..,voter=..</c>.</summary>
    private static FollowerProgress Follower(string line)
    {
        var parts = line.Split(',').Select(part => part.Split('=', 2)).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        string Text(string name) => parts.TryGetValue(name, out var value) ? value : "";
        ulong Number(string name) => ulong.TryParse(Text(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
        return new FollowerProgress(Number("node_id"), Text("ip"), (int)Number("port"), Number("offset"), Number("lag"), Text("voter") == "1", Text("state") == "online");
    }

    private static List<ulong> Ids(string list) =>
        [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(id => ulong.Parse(id, NumberStyles.None, CultureInfo.InvariantCulture))];
}
