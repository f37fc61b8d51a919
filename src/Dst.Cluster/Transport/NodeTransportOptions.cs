using System.Net;
using System.Net.Sockets;

namespace Dst.Cluster.Transport;

/// <summary>Configuration of one node's transport. Defaults suit a LAN; tests shorten the timings.</summary>
public sealed record NodeTransportOptions
{
    /// <summary>This node's id (non-zero); peers authenticate it and check it against message senders.</summary>
    public required ulong NodeId { get; init; }

    /// <summary>Where to listen for peers. Port 0 picks a free port (see <see cref="NodeTransport.LocalEndPoint"/>).</summary>
    public required IPEndPoint ListenEndPoint { get; init; }

    /// <summary>The shared cluster secret (at least 16 bytes). It keys the handshake proofs and never leaves the node.</summary>
    public required byte[] ClusterSecret { get; init; }

    /// <summary>Messages waiting for one peer; beyond this, sends to it are dropped and counted.</summary>
    public int SendQueueCapacity { get; init; } = 8192;

    /// <summary>Largest frame payload sent or accepted after the handshake. A larger message is sent in Fragment frames.</summary>
    public int MaxFrameBytes { get; init; } = 64 << 20;

    public CodecLimits CodecLimits { get; init; } = CodecLimits.Default;

    /// <summary>
    /// Largest batch body sent as Fragment frames and joined back: a message larger than a frame is
    /// a snapshot, so the codec's snapshot limit plus room for the rest of the message.
    /// </summary>
    public long MaxFragmentedBatchBytes => CodecLimits.MaxSnapshotBytes + (1L << 20);

    /// <summary>Connect plus handshake must finish within this, in either direction.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan ReconnectInitialDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Inbound connections allowed to be mid-handshake at once; more are closed at once.</summary>
    public int MaxPendingHandshakes { get; init; } = 64;

    /// <summary>
    /// Serves the connections peers dial to this node, handshake and receiving; null for .NET's
    /// asynchronous sockets. dst-server passes its client event loops: a leader then reads its
    /// followers' answers on the thread that answers its clients, without a thread hop between them.
    /// </summary>
    public Func<Socket, IPeerStream>? ServeInbound { get; init; }

    public const int MinSecretBytes = 16;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfZero(NodeId, nameof(NodeId));
        ArgumentNullException.ThrowIfNull(ListenEndPoint);
        ArgumentNullException.ThrowIfNull(ClusterSecret);
        if (ClusterSecret.Length < MinSecretBytes)
        {
            throw new ArgumentException($"the cluster secret must be at least {MinSecretBytes} bytes", nameof(ClusterSecret));
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(SendQueueCapacity, nameof(SendQueueCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFrameBytes, 1024, nameof(MaxFrameBytes));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HandshakeTimeout, TimeSpan.Zero, nameof(HandshakeTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReconnectInitialDelay, TimeSpan.Zero, nameof(ReconnectInitialDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReconnectMaxDelay, ReconnectInitialDelay, nameof(ReconnectMaxDelay));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxPendingHandshakes, nameof(MaxPendingHandshakes));
    }
}
