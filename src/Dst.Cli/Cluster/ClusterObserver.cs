using Dst.Cli.Options;
using Dst.Cli.Session;

namespace Dst.Cli.Cluster;

/// <summary>
/// Looks at the cluster through one node and follows it to the leader; waits for a condition on what
/// it sees. Connections to the nodes it visits are kept for the next look.
/// </summary>
public sealed class ClusterObserver(CliOptions options, NodeEndpoint via) : IAsyncDisposable
{
    /// <summary>How often a wait looks again: quick for a script, light for the cluster.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<NodeEndpoint, NodeClient> _clients = [];

    public NodeClient Node(NodeEndpoint endpoint)
    {
        if (!_clients.TryGetValue(endpoint, out var client))
        {
            _clients[endpoint] = client = new NodeClient(options, endpoint);
        }
        return client;
    }

    public NodeClient Via => Node(via);

    /// <summary>One look: INFO replication at the node given, then at the leader it names. Throws when the node given cannot be reached.</summary>
    public async Task<ClusterView> ObserveAsync()
    {
        var info = await Via.ReplicationAsync();
        if (info.IsLeader)
        {
            return new ClusterView(info, info, via, null);
        }
        if (info.LeaderId == 0 || info.LeaderEndpoint is not { } leaderEndpoint)
        {
            return new ClusterView(info, null, null, $"node {info.NodeId} at {via} knows no leader (raft role {info.RaftRole}, term {info.Term})");
        }
        try
        {
            var leader = await Node(leaderEndpoint).ReplicationAsync();
            return leader.IsLeader && leader.NodeId == info.LeaderId
                ? new ClusterView(info, leader, leaderEndpoint, null)
                : new ClusterView(info, null, null, $"node {info.NodeId} names node {info.LeaderId} at {leaderEndpoint} as leader, which does not lead (raft role {leader.RaftRole})");
        }
        catch (ServerUnavailableException error)
        {
            return new ClusterView(info, null, null, $"node {info.NodeId} names node {info.LeaderId} as leader, which cannot be reached: {error.Message}");
        }
    }

    /// <summary>
    /// Looks until <paramref name="done"/> holds (returns that view) or <paramref name="timeout"/>
    /// passes (returns null; <paramref name="lastProblem"/> says what was last seen). A node that is
    /// unreachable for a moment (restarting, electing) is looked at again rather than given up on.
    /// </summary>
    public async Task<(ClusterView? View, string LastProblem)> WaitUntilAsync(Func<ClusterView, bool> done, Func<ClusterView, string> describe, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var lastProblem = "nothing seen yet";
        while (true)
        {
            try
            {
                var view = await ObserveAsync();
                if (done(view))
                {
                    return (view, "");
                }
                lastProblem = describe(view);
            }
            catch (ServerUnavailableException error)
            {
                lastProblem = error.Message;
            }
            if (DateTime.UtcNow >= deadline)
            {
                return (null, lastProblem);
            }
            await Task.Delay(PollInterval);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            await client.DisposeAsync();
        }
    }
}
