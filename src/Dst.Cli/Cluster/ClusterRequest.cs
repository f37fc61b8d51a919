namespace Dst.Cli.Cluster;

/// <summary>What <c>dst-cli --cluster ...</c> asked for; <see cref="Via"/> is the node it talks to.</summary>
public abstract record ClusterRequest(NodeEndpoint Via)
{
    /// <summary>How long a command waits for its change to become visible (--timeout).</summary>
    public TimeSpan Timeout { get; init; } = ClusterCommandLine.DefaultTimeout;
}

public sealed record StatusRequest(NodeEndpoint Via) : ClusterRequest(Via);

public sealed record WaitLeaderRequest(NodeEndpoint Via) : ClusterRequest(Via);

/// <summary>add-node: the new node first, then an existing member, as redis-cli orders them.</summary>
public sealed record AddNodeRequest(NodeEndpoint NewNode, NodeEndpoint Via) : ClusterRequest(Via);

public sealed record RemoveNodeRequest(NodeEndpoint Via, ulong NodeId) : ClusterRequest(Via);

public sealed record TransferLeaderRequest(NodeEndpoint Via, ulong NodeId) : ClusterRequest(Via);
