using Microsoft.Extensions.Logging;

namespace Dst.Cluster.Transport;

/// <summary>What every link and connection of one node shares.</summary>
internal sealed class TransportContext(NodeTransportOptions options, byte[] secret, IClusterMessageHandler handler, ILogger logger)
{
    public NodeTransportOptions Options { get; } = options;
    public ulong NodeId => Options.NodeId;

    /// <summary>A private copy of the secret: callers cannot change it under a running transport.</summary>
    public byte[] Secret { get; } = secret;

    public IClusterMessageHandler Handler { get; } = handler;
    public ILogger Logger { get; } = logger;
    public TransportCounters Counters { get; } = new();
}
