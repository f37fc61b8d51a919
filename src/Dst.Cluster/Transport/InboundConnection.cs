using System.Net.Sockets;
using Dst.Raft;

namespace Dst.Cluster.Transport;

/// <summary>
/// A connection a peer dialled to us: authenticate it, then read Batch frames and hand each message
/// to the host. The handshake binds the connection to one node id: a message whose sender is not
/// that node is dropped. A frame that is corrupt or undecodable closes the connection, and nothing
/// from that frame is delivered.
/// </summary>
internal sealed class InboundConnection
{
    private readonly TransportContext _context;
    private readonly IInboundRegistry _registry;
    private readonly FrameConnection _connection;
    private Task _run = Task.CompletedTask;

    public InboundConnection(TransportContext context, IInboundRegistry registry, Socket socket)
    {
        _context = context;
        _registry = registry;
        _connection = new FrameConnection(socket, context.Options.ServeInbound?.Invoke(socket));
    }

    /// <summary>The authenticated node id, or 0 while the handshake is under way.</summary>
    public ulong PeerId { get; private set; }

    public Task Completion => _run;

    public void Start(CancellationToken stop) => _run = Task.Run(() => RunAsync(stop));

    /// <summary>Closes the socket, which ends the read loop.</summary>
    public void Close() => _connection.Dispose();

    private async Task RunAsync(CancellationToken stop)
    {
        try
        {
            var peerId = await AuthenticateAsync(stop);
            if (peerId == 0)
            {
                return;
            }
            PeerId = peerId;
            _registry.Authenticated(this);
            TransportLog.InboundAuthenticated(_context.Logger, peerId, _connection.RemoteEndPoint);
            await ReceiveAsync(peerId);
            TransportLog.InboundEnded(_context.Logger, peerId, _connection.RemoteEndPoint, "closed by the peer");
        }
        catch (FrameFormatException e)
        {
            Interlocked.Increment(ref _context.Counters.BadFrames);
            TransportLog.BadFrame(_context.Logger, PeerId, _connection.RemoteEndPoint, e.Message);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            TransportLog.InboundEnded(_context.Logger, PeerId, _connection.RemoteEndPoint, e.Message);
        }
        finally
        {
            _connection.Dispose();
            _registry.Closed(this);
        }
    }

    /// <summary>Runs the acceptor side of the handshake; returns the peer's node id, or 0 if it was rejected.</summary>
    private async Task<ulong> AuthenticateAsync(CancellationToken stop)
    {
        if (!_registry.TryBeginHandshake())
        {
            TransportLog.TooManyPendingHandshakes(_context.Logger, _connection.RemoteEndPoint);
            return 0;
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(_context.Options.HandshakeTimeout);
        try
        {
            return await Handshake.AcceptAsync(_connection, _context.Secret, _context.NodeId, deadline.Token);
        }
        catch (Exception e) when (e is HandshakeException || (e is OperationCanceledException && !stop.IsCancellationRequested))
        {
            Interlocked.Increment(ref _context.Counters.HandshakesRejected);
            var reason = e is HandshakeException ? e.Message : "no handshake within the timeout";
            TransportLog.InboundHandshakeFailed(_context.Logger, _connection.RemoteEndPoint, reason);
            return 0;
        }
        finally
        {
            _registry.EndHandshake();
        }
    }

    /// <summary>
    /// Delivers every frame one receive brought, then tells the host once, so that the messages of a
    /// burst share one Raft pass. Ends when the peer closes; <see cref="Close"/> interrupts it.
    /// </summary>
    private async Task ReceiveAsync(ulong peerId)
    {
        var messages = new List<GroupMessage>();
        var fragments = new FragmentAssembler(_context.Options.MaxFragmentedBatchBytes);
        do
        {
            var delivered = false;
            while (_connection.TryTakeReceivedFrame(_context.Options.MaxFrameBytes, out var frame))
            {
                delivered |= Deliver(peerId, frame, fragments, messages);
            }
            if (delivered)
            {
                try
                {
                    _context.Handler.OnBatchDelivered();
                }
                catch (Exception e)
                {
                    TransportLog.HandlerFailed(_context.Logger, e);
                }
            }
        }
        while (await _connection.ReceiveMoreAsync(CancellationToken.None));
    }

    /// <summary>Delivers one frame's messages; false for a fragment that does not yet complete its batch.</summary>
    private bool Deliver(ulong peerId, Frame frame, FragmentAssembler fragments, List<GroupMessage> messages)
    {
        if (frame.Kind is not (FrameKind.Batch or FrameKind.Fragment) || (frame.Kind == FrameKind.Batch && fragments.InProgress))
        {
            throw new FrameFormatException($"unexpected {frame.Kind} frame after the handshake");
        }
        Interlocked.Increment(ref _context.Counters.FramesReceived);
        Interlocked.Add(ref _context.Counters.BytesReceived, FrameHeader.Size + 1 + frame.Body.Length);
        var body = frame.Body;
        if (frame.Kind == FrameKind.Fragment)
        {
            if (fragments.Add(frame.Body) is not { } joined)
            {
                return false;
            }
            body = joined;
        }
        // Decode the whole batch before delivering any of it: a bad frame delivers nothing.
        BatchFrameReader.Decode(body, _context.Options.CodecLimits, messages);
        foreach (var item in messages)
        {
            Deliver(peerId, item.GroupId, item.Message);
        }
        messages.Clear();
        return true;
    }

    private void Deliver(ulong peerId, ulong groupId, in Message message)
    {
        // A forwarded TransferLeader names the transferee in From, not the node that forwarded it.
        if (message.From != peerId && message.Type != MessageType.TransferLeader)
        {
            Interlocked.Increment(ref _context.Counters.SpoofedMessages);
            TransportLog.SpoofedMessage(_context.Logger, message.Type, message.From, peerId);
            return;
        }
        if (message.To != _context.NodeId || IsLocalOnly(message.Type))
        {
            Interlocked.Increment(ref _context.Counters.MisroutedMessages);
            TransportLog.MisroutedMessage(_context.Logger, message.Type, peerId, message.To);
            return;
        }
        Interlocked.Increment(ref _context.Counters.MessagesReceived);
        try
        {
            _context.Handler.OnMessage(groupId, message);
        }
        catch (Exception e)
        {
            TransportLog.HandlerFailed(_context.Logger, e);
        }
    }

    /// <summary>Types a node only ever steps into itself; Raft refuses them from the network.</summary>
    private static bool IsLocalOnly(MessageType type) =>
        type is MessageType.Hup or MessageType.Beat or MessageType.CheckQuorum or MessageType.SnapStatus or MessageType.Unreachable;
}

/// <summary>How an inbound connection reports to the transport that owns it.</summary>
internal interface IInboundRegistry
{
    /// <summary>False when too many connections are already mid-handshake.</summary>
    bool TryBeginHandshake();

    void EndHandshake();

    /// <summary>The connection is authenticated; an older connection from the same node is closed.</summary>
    void Authenticated(InboundConnection connection);

    void Closed(InboundConnection connection);
}
