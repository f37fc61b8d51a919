namespace Dst.Testing.Processes;

/// <summary>One member (or former member) of a <see cref="ClusterProcesses"/>: its id, ports and process.</summary>
public sealed class ClusterNode(ulong id, int clusterPort, ServerProcess process)
{
    public ulong Id { get; } = id;

    /// <summary>The client (RESP) port; fixed for the node's life, restarts included.</summary>
    public int Port => Process.Port;

    /// <summary>The node-to-node port it listens on (peers may reach it through a proxy instead).</summary>
    public int ClusterPort { get; } = clusterPort;

    public ServerProcess Process { get; } = process;

    /// <summary>Running and not paused: it can answer.</summary>
    public bool IsUp => !Process.HasExited && !Process.IsPaused;

    /// <summary>False once removed from the group (CLUSTER REMOVENODE) until added again.</summary>
    public bool IsMember { get; internal set; } = true;

    public override string ToString() => $"node {Id} (:{Port}, cluster :{ClusterPort}{(IsUp ? "" : Process.IsPaused ? ", paused" : ", down")})";
}
