namespace Dst.Cluster.Transport;

/// <summary>Node-wide counters, bumped with interlocked adds from any connection's task.</summary>
internal sealed class TransportCounters
{
    public long MessagesReceived;
    public long FramesReceived;
    public long BytesReceived;
    public long HandshakesRejected;
    public long BadFrames;
    public long SpoofedMessages;
    public long MisroutedMessages;
    public long UnknownPeerDrops;
}

/// <summary>One peer link's counters; <see cref="PeerLink"/> bumps them, <see cref="PeerStats"/> copies them.</summary>
internal sealed class PeerCounters
{
    public long MessagesSent;
    public long BytesSent;
    public long Writes;
    public long DroppedQueueFull;
    public long DroppedDisconnected;
    public long DroppedOversize;
    public long Connects;
    public long ConnectFailures;
}
