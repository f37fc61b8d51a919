using System.Net;
using System.Net.Sockets;
using Dst.Raft;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dst.Cluster.Transport;

/// <summary>
/// One node's end of the cluster network. Each peer gets one outbound TCP connection that carries
/// this node's messages to it, batched (see <see cref="PeerLink"/>); each peer's own outbound
/// connection arrives at our listener and carries its messages to us (see
/// <see cref="InboundConnection"/>). Messages of every Raft group share these connections, each
/// tagged with its group id. Both directions authenticate with the cluster secret.
/// </summary>
public sealed class NodeTransport : IAsyncDisposable, IInboundRegistry
{
    private readonly TransportContext _context;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly HashSet<InboundConnection> _inbound = [];
    private readonly Dictionary<ulong, InboundConnection> _inboundByPeer = [];
    private readonly List<Task> _retiring = [];

    // Copy-on-write so that Send, the hot path, reads it without a lock.
    private volatile Dictionary<ulong, PeerLink> _peers = [];
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private int _pendingHandshakes;
    private bool _started;
    private bool _disposed;

    public NodeTransport(NodeTransportOptions options, IClusterMessageHandler handler, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        options.Validate();
        _context = new TransportContext(options, (byte[])options.ClusterSecret.Clone(), handler, logger ?? NullLogger.Instance);
    }

    public ulong NodeId => _context.NodeId;

    /// <summary>The address actually listened on (with the chosen port when port 0 was asked for); null before start.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>Binds the listener and starts dialling every peer added so far.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started)
            {
                throw new InvalidOperationException("the transport is already started");
            }
            var endPoint = _context.Options.ListenEndPoint;
            var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                listener.Bind(endPoint);
                listener.Listen(512);
            }
            catch
            {
                listener.Dispose();
                throw;
            }
            _listener = listener;
            LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
            _started = true;
            _acceptLoop = Task.Run(() => AcceptLoopAsync(listener, _stop.Token));
            foreach (var link in _peers.Values)
            {
                link.Start();
            }
        }
        TransportLog.Listening(_context.Logger, NodeId, LocalEndPoint);
        return Task.CompletedTask;
    }

    /// <summary>Adds a peer (or moves it to a new address). Its link starts dialling once the transport runs.</summary>
    public void AddPeer(ulong nodeId, EndPoint endPoint)
    {
        ArgumentOutOfRangeException.ThrowIfZero(nodeId);
        ArgumentNullException.ThrowIfNull(endPoint);
        if (nodeId == NodeId)
        {
            throw new ArgumentException("a node is not its own peer", nameof(nodeId));
        }
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_peers.TryGetValue(nodeId, out var existing))
            {
                if (existing.EndPoint.Equals(endPoint))
                {
                    return;
                }
                Retire(existing);
            }
            var link = new PeerLink(_context, nodeId, endPoint);
            _peers = new Dictionary<ulong, PeerLink>(_peers) { [nodeId] = link };
            if (_started)
            {
                link.Start();
            }
        }
    }

    /// <summary>Stops sending to a peer; its link shuts down in the background. False if it was not a peer.</summary>
    public bool RemovePeer(ulong nodeId)
    {
        lock (_gate)
        {
            if (_disposed || !_peers.TryGetValue(nodeId, out var link))
            {
                return false;
            }
            var remaining = new Dictionary<ulong, PeerLink>(_peers);
            remaining.Remove(nodeId);
            _peers = remaining;
            Retire(link);
            return true;
        }
    }

    /// <summary>
    /// Queues <paramref name="message"/> for <see cref="Message.To"/> under <paramref name="groupId"/>.
    /// Never blocks and never throws for a down or unknown peer: the message is dropped and counted
    /// (Raft retransmits), and a down peer is reported through <see cref="IClusterMessageHandler.OnPeerUnreachable"/>.
    /// Entry and snapshot data must not change until the message is sent.
    /// </summary>
    public bool Send(ulong groupId, in Message message)
    {
        if (_peers.TryGetValue(message.To, out var link))
        {
            return link.Send(groupId, message);
        }
        Interlocked.Increment(ref _context.Counters.UnknownPeerDrops);
        return false;
    }

    /// <summary>
    /// Queues <paramref name="message"/> like <see cref="Send"/>, without waking the peer's writer: the
    /// next <see cref="Flush"/> writes it, from the caller's thread when the socket takes it at once.
    /// </summary>
    public bool Enqueue(ulong groupId, in Message message)
    {
        if (_peers.TryGetValue(message.To, out var link))
        {
            return link.Enqueue(groupId, message);
        }
        Interlocked.Increment(ref _context.Counters.UnknownPeerDrops);
        return false;
    }

    /// <summary>
    /// Writes what <see cref="Enqueue"/> queued for every peer: on this thread as far as each socket
    /// takes it without waiting, the rest by the peer's writer. Call from one thread at a time.
    /// </summary>
    public void Flush()
    {
        foreach (var link in _peers.Values)
        {
            link.Flush();
        }
    }

    /// <summary>Whether the outbound link to <paramref name="nodeId"/> is connected and authenticated.</summary>
    public bool IsPeerConnected(ulong nodeId) => _peers.TryGetValue(nodeId, out var link) && link.IsConnected;

    public TransportStats GetStats()
    {
        var counters = _context.Counters;
        return new TransportStats
        {
            MessagesReceived = Interlocked.Read(ref counters.MessagesReceived),
            FramesReceived = Interlocked.Read(ref counters.FramesReceived),
            BytesReceived = Interlocked.Read(ref counters.BytesReceived),
            HandshakesRejected = Interlocked.Read(ref counters.HandshakesRejected),
            BadFrames = Interlocked.Read(ref counters.BadFrames),
            SpoofedMessages = Interlocked.Read(ref counters.SpoofedMessages),
            MisroutedMessages = Interlocked.Read(ref counters.MisroutedMessages),
            UnknownPeerDrops = Interlocked.Read(ref counters.UnknownPeerDrops),
            Peers = [.. _peers.Values.OrderBy(link => link.NodeId).Select(link => link.Snapshot())],
        };
    }

    /// <summary>Closes the listener and every connection and waits for every loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        List<Task> pending;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            pending = [_acceptLoop, .. _retiring];
            foreach (var link in _peers.Values)
            {
                pending.Add(link.DisposeAsync().AsTask());
            }
            _peers = [];
        }
        await _stop.CancelAsync();
        _listener?.Dispose();
        // The accept loop has stopped adding connections once it has ended.
        await _acceptLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        List<InboundConnection> inbound;
        lock (_gate)
        {
            inbound = [.. _inbound];
        }
        foreach (var connection in inbound)
        {
            connection.Close();
            pending.Add(connection.Completion);
        }
        await Task.WhenAll(pending);
        _stop.Dispose();
    }

    /// <summary>Stops a link in the background; <see cref="DisposeAsync"/> waits for whatever is still stopping.</summary>
    private void Retire(PeerLink link)
    {
        _retiring.RemoveAll(task => task.IsCompleted);
        _retiring.Add(link.DisposeAsync().AsTask());
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stop);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // Transient (a connection reset before it was accepted, out of descriptors): keep serving.
                TransportLog.AcceptFailed(_context.Logger, e);
                continue;
            }
            var connection = new InboundConnection(_context, this, socket);
            lock (_gate)
            {
                if (_disposed)
                {
                    connection.Close();
                    return;
                }
                _inbound.Add(connection);
            }
            connection.Start(stop);
        }
    }

    bool IInboundRegistry.TryBeginHandshake()
    {
        if (Interlocked.Increment(ref _pendingHandshakes) <= _context.Options.MaxPendingHandshakes)
        {
            return true;
        }
        Interlocked.Decrement(ref _pendingHandshakes);
        return false;
    }

    void IInboundRegistry.EndHandshake() => Interlocked.Decrement(ref _pendingHandshakes);

    void IInboundRegistry.Authenticated(InboundConnection connection)
    {
        InboundConnection? previous;
        lock (_gate)
        {
            _inboundByPeer.TryGetValue(connection.PeerId, out previous);
            _inboundByPeer[connection.PeerId] = connection;
        }
        // The peer redialled (it restarted, or its old connection is half-open): only the newest is live.
        previous?.Close();
    }

    void IInboundRegistry.Closed(InboundConnection connection)
    {
        lock (_gate)
        {
            _inbound.Remove(connection);
            if (_inboundByPeer.TryGetValue(connection.PeerId, out var current) && current == connection)
            {
                _inboundByPeer.Remove(connection.PeerId);
            }
        }
    }
}
