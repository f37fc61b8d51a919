using System.Globalization;
using Dst.Cluster.Hosting;
using Dst.Server.Options;

namespace Dst.Server.Replication;

/// <summary>This node's own address and the founding members named by <c>--peers</c>.</summary>
internal sealed record NodeMembers(NodeAddress Self, IReadOnlyDictionary<ulong, NodeAddress> Founders)
{
    /// <summary>Parses the options; throws <see cref="FormatException"/> with a message for the operator.</summary>
    public static NodeMembers From(ServerOptions options)
    {
        var clusterPort = options.ClusterPort != 0 ? options.ClusterPort : options.Port + NodeAddress.ClusterPortOffset;
        if (clusterPort > ushort.MaxValue && options.ClusterSecret is null)
        {
            clusterPort = 0; // a lone node without a cluster secret never listens for peers (Redis: cluster mode only)
        }
        else if (clusterPort > ushort.MaxValue)
        {
            throw new FormatException($"the cluster port (client port + {NodeAddress.ClusterPortOffset}) is past 65535; set --cluster-port");
        }
        var self = new NodeAddress(AnnounceHost(options), options.Port, clusterPort);
        var founders = new Dictionary<ulong, NodeAddress>();
        foreach (var peer in options.Peers)
        {
            var at = peer.IndexOf('@', StringComparison.Ordinal);
            if (at <= 0 || !ulong.TryParse(peer.AsSpan(0, at), NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id == 0)
            {
                throw new FormatException($"--peers entry '{peer}' is not id@host:port[@cport] with a positive id");
            }
            if (!NodeAddress.TryParse(peer[(at + 1)..], out var address, out var error))
            {
                throw new FormatException($"--peers entry '{peer}': {error}");
            }
            if (!founders.TryAdd(id, address))
            {
                throw new FormatException($"--peers names node {id} twice");
            }
        }
        if (founders.Count > 0 && !founders.ContainsKey(options.NodeId))
        {
            throw new FormatException($"--peers must include this node (--node-id {options.NodeId})");
        }
        if ((founders.Count > 1 || options.Join is not null) && (options.ClusterSecret is null || options.ClusterSecret.Length < 16))
        {
            throw new FormatException("a cluster needs --cluster-secret of at least 16 characters");
        }
        if (founders.Count > 0 && options.Join is not null)
        {
            throw new FormatException("--peers founds a cluster, --join enters an existing one: give one of them");
        }
        return new NodeMembers(self, founders);
    }

    private static string AnnounceHost(ServerOptions options)
    {
        if (options.AnnounceHost is { } announced)
        {
            return announced;
        }
        var bind = options.Bind.Count > 0 ? options.Bind[0] : "127.0.0.1";
        return bind is "*" or "0.0.0.0" or "::*" or "::" ? "127.0.0.1" : bind;
    }
}
