using System.Globalization;
using Dst.Cli.Options;

namespace Dst.Cli.Cluster;

/// <summary>A node's client address, <c>host:port</c> (IPv6 hosts in brackets: <c>[::1]:6380</c>).</summary>
public sealed record NodeEndpoint(string Host, int Port)
{
    public static NodeEndpoint Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon > 0 && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
        {
            var host = text[..colon];
            return new NodeEndpoint(host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host, port);
        }
        throw new CliUsageException($"Invalid node address '{text}': expected host:port");
    }

    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
