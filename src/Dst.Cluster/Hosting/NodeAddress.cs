using System.Globalization;
using System.Text;

namespace Dst.Cluster.Hosting;

/// <summary>
/// Where a node listens: its client (RESP) endpoint and its cluster (node-to-node) port, written as
/// Redis Cluster writes node addresses, <c>host:port@cport</c> (the cluster port defaults to port + 10000;
/// 0 for a lone node without a cluster secret whose port + 10000 is past 65535: it has no cluster port).
/// </summary>
public readonly record struct NodeAddress(string Host, int Port, int ClusterPort)
{
    public const int ClusterPortOffset = 10000;

    public override string ToString() => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}@{ClusterPort.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The client endpoint as <c>host:port</c>, as MOVED and ROLE print it.</summary>
    public string ClientEndPoint => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    public byte[] Encode() => Encoding.UTF8.GetBytes(ToString());

    public static bool TryParse(string text, out NodeAddress address, out string? error)
    {
        address = default;
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var hostPort = at < 0 ? text : text[..at];
        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !TryParsePort(hostPort[(colon + 1)..], out var port))
        {
            error = $"'{text}' is not host:port[@cport]";
            return false;
        }
        var clusterPort = port + ClusterPortOffset;
        if (at >= 0 && !TryParsePort(text[(at + 1)..], out clusterPort) && text[(at + 1)..] != "0")
        {
            error = $"'{text}' has an invalid cluster port";
            return false;
        }
        if (at < 0 && clusterPort > ushort.MaxValue)
        {
            error = $"'{text}': port + {ClusterPortOffset} is past 65535; give the cluster port as host:port@cport";
            return false;
        }
        var host = hostPort[..colon].Trim('[', ']');
        address = new NodeAddress(host, port, clusterPort);
        error = null;
        return true;
    }

    public static NodeAddress Decode(ReadOnlySpan<byte> bytes) =>
        TryParse(Encoding.UTF8.GetString(bytes), out var address, out var error)
            ? address
            : throw new FormatException(error);

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= ushort.MaxValue;
}
