namespace Dst.Cluster.Transport;

/// <summary>A point-in-time copy of the transport's counters, for INFO and for tests.</summary>
public sealed record TransportStats
{
    /// <summary>Messages delivered to the handler.</summary>
    public long MessagesReceived { get; init; }
    public long FramesReceived { get; init; }
    public long BytesReceived { get; init; }

    /// <summary>Inbound connections closed because the peer failed the handshake.</summary>
    public long HandshakesRejected { get; init; }

    /// <summary>Connections closed because of a corrupt, oversize or undecodable frame.</summary>
    public long BadFrames { get; init; }

    /// <summary>Messages dropped because their sender was not the authenticated node.</summary>
    public long SpoofedMessages { get; init; }

    /// <summary>Messages dropped because they were addressed to another node or were local-only types.</summary>
    public long MisroutedMessages { get; init; }

    /// <summary>Sends to a node id that is not a peer.</summary>
    public long UnknownPeerDrops { get; init; }

    public IReadOnlyList<PeerStats> Peers { get; init; } = [];

    /// <summary>Every message this node gave up sending, for whatever reason.</summary>
    public long MessagesDropped => UnknownPeerDrops + Peers.Sum(p => p.DroppedQueueFull + p.DroppedDisconnected + p.DroppedOversize);
}

/// <summary>The counters of one peer's outbound link.</summary>
public sealed record PeerStats
{
    public ulong NodeId { get; init; }
    public string EndPoint { get; init; } = "";
    public bool Connected { get; init; }
    public int Queued { get; init; }
    public long MessagesSent { get; init; }
    public long BytesSent { get; init; }

    /// <summary>Socket writes: each carries every message queued when the writer woke.</summary>
    public long Writes { get; init; }

    /// <summary>Sends dropped because the queue to this peer was full.</summary>
    public long DroppedQueueFull { get; init; }

    /// <summary>Sends dropped because the link was down (and messages still queued when it went down).</summary>
    public long DroppedDisconnected { get; init; }

    /// <summary>Messages larger than a frame may be.</summary>
    public long DroppedOversize { get; init; }

    public long Connects { get; init; }
    public long ConnectFailures { get; init; }
}
