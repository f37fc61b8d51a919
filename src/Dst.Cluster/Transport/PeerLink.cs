using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Dst.Raft;

namespace Dst.Cluster.Transport;

/// <summary>
/// The one outbound connection to one peer, and the loop that keeps it: dial, authenticate, then
/// drain the send queue (everything queued goes out in one socket write) until the connection
/// breaks; then back off and dial again. While the link is down, sends are dropped at once and the
/// host is told the peer is unreachable, as Raft expects of a lossy network.
/// </summary>
internal sealed class PeerLink : IAsyncDisposable
{
    /// <summary>Buffers above this are returned to the pool after a write rather than kept per peer.</summary>
    private const int RetainedBufferBytes = 1 << 20;

    private readonly TransportContext _context;
    private readonly SendQueue _queue;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;
    private volatile bool _connected;
    private int _unreachableReportQueued;
    private volatile bool _disposed;

    public PeerLink(TransportContext context, ulong nodeId, EndPoint endPoint)
    {
        _context = context;
        NodeId = nodeId;
        EndPoint = endPoint;
        _queue = new SendQueue(context.Options.SendQueueCapacity);
    }

    public ulong NodeId { get; }
    public EndPoint EndPoint { get; }
    public PeerCounters Counters { get; } = new();
    public bool IsConnected => _connected;

    public void Start() => _run = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Queues a message for the writer loop; never blocks, never throws for a down peer.</summary>
    public bool Send(ulong groupId, in Message message)
    {
        if (!_connected)
        {
            Interlocked.Increment(ref Counters.DroppedDisconnected);
            ReportUnreachable();
            return false;
        }
        if (!_queue.TryEnqueue(new GroupMessage(groupId, message), out var wasEmpty))
        {
            Interlocked.Increment(ref Counters.DroppedQueueFull);
            return false;
        }
        if (wasEmpty)
        {
            _wake.Writer.TryWrite(true);
        }
        return true;
    }

    public PeerStats Snapshot() => new()
    {
        NodeId = NodeId,
        EndPoint = EndPoint.ToString() ?? "",
        Connected = _connected,
        Queued = _queue.Count,
        MessagesSent = Interlocked.Read(ref Counters.MessagesSent),
        BytesSent = Interlocked.Read(ref Counters.BytesSent),
        Writes = Interlocked.Read(ref Counters.Writes),
        DroppedQueueFull = Interlocked.Read(ref Counters.DroppedQueueFull),
        DroppedDisconnected = Interlocked.Read(ref Counters.DroppedDisconnected),
        DroppedOversize = Interlocked.Read(ref Counters.DroppedOversize),
        Connects = Interlocked.Read(ref Counters.Connects),
        ConnectFailures = Interlocked.Read(ref Counters.ConnectFailures),
    };

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var backoff = new ReconnectBackoff(_context.Options.ReconnectInitialDelay, _context.Options.ReconnectMaxDelay, new Random());
        using var buffer = new PooledBufferWriter(16 * 1024, RetainedBufferBytes);
        while (!stop.IsCancellationRequested)
        {
            FrameConnection? connection = null;
            try
            {
                connection = await ConnectAsync(stop);
                backoff.Reset();
                Interlocked.Increment(ref Counters.Connects);
                TransportLog.PeerConnected(_context.Logger, NodeId, EndPoint);
                _connected = true;
                await PumpAsync(connection, buffer, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (HandshakeException e)
            {
                Interlocked.Increment(ref Counters.ConnectFailures);
                TransportLog.OutboundHandshakeFailed(_context.Logger, NodeId, EndPoint, e.Message);
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                var reason = e is OperationCanceledException ? "timed out" : e.Message;
                if (_connected)
                {
                    TransportLog.PeerLost(_context.Logger, NodeId, EndPoint, reason);
                }
                else
                {
                    Interlocked.Increment(ref Counters.ConnectFailures);
                    TransportLog.PeerConnectFailed(_context.Logger, NodeId, EndPoint, reason);
                }
            }
            finally
            {
                _connected = false;
                Interlocked.Add(ref Counters.DroppedDisconnected, _queue.Clear());
                buffer.Reset();
                connection?.Dispose();
            }
            if (stop.IsCancellationRequested)
            {
                break;
            }
            ReportUnreachable();
            await Task.Delay(backoff.NextDelay(), stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task<FrameConnection> ConnectAsync(CancellationToken stop)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(_context.Options.HandshakeTimeout);
        var socket = EndPoint is IPEndPoint ip
            ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        FrameConnection? connection = null;
        try
        {
            await socket.ConnectAsync(EndPoint, deadline.Token);
            connection = new FrameConnection(socket);
            await Handshake.InitiateAsync(connection, _context.Secret, _context.NodeId, NodeId, deadline.Token);
            return connection;
        }
        catch
        {
            if (connection is null)
            {
                socket.Dispose();
            }
            else
            {
                connection.Dispose();
            }
            throw;
        }
    }

    /// <summary>
    /// Drains the queue into the connection until it breaks. A watcher read runs alongside: the
    /// acceptor never sends after the handshake, so any read completing means the peer closed (or
    /// misbehaved), and the pump stops at once instead of at the next failed write.
    /// </summary>
    private async Task PumpAsync(FrameConnection connection, PooledBufferWriter buffer, CancellationToken stop)
    {
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var watcher = WatchAsync(connection, lost);
        try
        {
            var frames = new BatchFrameWriter(buffer, _context.Options.MaxFrameBytes, _context.Options.MaxFragmentedBatchBytes);
            while (true)
            {
                await _wake.Reader.WaitToReadAsync(lost.Token);
                _wake.Reader.TryRead(out _);
                var sent = EncodeQueued(frames);
                if (buffer.WrittenCount == 0)
                {
                    continue;
                }
                await connection.WriteAsync(buffer.WrittenMemory, lost.Token);
                Interlocked.Increment(ref Counters.Writes);
                Interlocked.Add(ref Counters.MessagesSent, sent);
                Interlocked.Add(ref Counters.BytesSent, buffer.WrittenCount);
                buffer.Reset();
            }
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            throw new IOException("the peer closed the connection");
        }
        finally
        {
            await lost.CancelAsync();
            connection.Dispose();
            await watcher;
        }
    }

    private int EncodeQueued(BatchFrameWriter frames)
    {
        var batch = _queue.TakeAll();
        var encoded = 0;
        try
        {
            foreach (var item in batch)
            {
                if (frames.TryAppend(item.GroupId, item.Message))
                {
                    encoded++;
                }
                else
                {
                    Interlocked.Increment(ref Counters.DroppedOversize);
                    TransportLog.OversizeMessage(
                        _context.Logger, item.Message.Type, NodeId, RaftMessageCodec.GetEncodedLength(item.Message), _context.Options.MaxFrameBytes);
                }
            }
            frames.Complete();
        }
        finally
        {
            _queue.Recycle(batch);
        }
        return encoded;
    }

    private static async Task WatchAsync(FrameConnection connection, CancellationTokenSource lost)
    {
        try
        {
            await connection.WaitForPeerCloseOrDataAsync(lost.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Any failure of the read means the same as its completion: the connection is over.
        }
        await lost.CancelAsync();
    }

    /// <summary>
    /// Tells the host, off the caller's thread, that this peer is unreachable. At most one report
    /// is queued at a time, so a burst of dropped sends costs one callback, and the host's Raft
    /// loop is never re-entered from inside its own Send.
    /// </summary>
    private void ReportUnreachable()
    {
        if (_disposed || Interlocked.Exchange(ref _unreachableReportQueued, 1) == 1)
        {
            return;
        }
        ThreadPool.UnsafeQueueUserWorkItem(static link => link.RaiseUnreachable(), this, preferLocal: false);
    }

    private void RaiseUnreachable()
    {
        Volatile.Write(ref _unreachableReportQueued, 0);
        if (_disposed)
        {
            return;
        }
        try
        {
            _context.Handler.OnPeerUnreachable(NodeId);
        }
        catch (Exception e)
        {
            TransportLog.HandlerFailed(_context.Logger, e);
        }
    }
}
