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
/// <para>
/// <see cref="Send"/> wakes the writer loop, a thread-pool hop per batch. The Raft host instead
/// queues a round's messages (<see cref="Enqueue"/>) and calls <see cref="Flush"/>, which writes them
/// from its own thread when the socket takes them at once, and leaves only the rest to the loop. One
/// writer at a time holds the connection's <see cref="Writer"/> role, so frames never interleave.
/// </para>
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
    // Flush's buffer: only the thread holding the writer role touches it, and only Flush's caller does.
    private readonly PooledBufferWriter _flushBuffer = new(16 * 1024, RetainedBufferBytes);
    private readonly BatchFrameWriter _flushFrames;
    private Task _run = Task.CompletedTask;
    private volatile Writer? _live;
    private volatile bool _connected;
    private int _unreachableReportQueued;
    private volatile bool _disposed;

    public PeerLink(TransportContext context, ulong nodeId, EndPoint endPoint)
    {
        _context = context;
        NodeId = nodeId;
        EndPoint = endPoint;
        _queue = new SendQueue(context.Options.SendQueueCapacity);
        _flushFrames = new BatchFrameWriter(_flushBuffer, context.Options.MaxFrameBytes, context.Options.MaxFragmentedBatchBytes);
    }

    public ulong NodeId { get; }
    public EndPoint EndPoint { get; }
    public PeerCounters Counters { get; } = new();
    public bool IsConnected => _connected;

    public void Start() => _run = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Queues a message for the writer loop; never blocks, never throws for a down peer.</summary>
    public bool Send(ulong groupId, in Message message)
    {
        if (!TryQueue(groupId, message, out var wasEmpty))
        {
            return false;
        }
        if (wasEmpty)
        {
            _wake.Writer.TryWrite(true);
        }
        return true;
    }

    /// <summary>Queues a message that the next <see cref="Flush"/> writes; never blocks, never throws for a down peer.</summary>
    public bool Enqueue(ulong groupId, in Message message) => TryQueue(groupId, message, out _);

    /// <summary>
    /// Writes everything queued from the calling thread, as far as the socket takes it without waiting;
    /// the writer loop sends the rest. While the loop is writing, it is left to send these too. Call
    /// from one thread at a time.
    /// </summary>
    public void Flush()
    {
        if (_queue.IsEmpty)
        {
            return;
        }
        var live = _live;
        if (live is null || !live.TryTake())
        {
            // Not yet writing, or the loop holds the role: make sure it looks at the queue again.
            _wake.Writer.TryWrite(true);
            return;
        }
        var sent = EncodeQueued(_flushFrames);
        var frames = _flushBuffer.WrittenSpan;
        int written;
        try
        {
            written = live.Connection.TrySendNow(frames);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The writer loop sees the broken connection too and redials; Raft resends what was lost.
            Interlocked.Add(ref Counters.DroppedDisconnected, sent);
            _flushBuffer.Reset();
            live.Connection.Dispose();
            Release(live);
            return;
        }
        Interlocked.Increment(ref Counters.Writes);
        Interlocked.Add(ref Counters.MessagesSent, sent);
        Interlocked.Add(ref Counters.BytesSent, frames.Length);
        if (written < frames.Length)
        {
            // The socket's buffer is full: the loop writes the rest before anything else, keeping the role.
            live.Carry = frames[written..].ToArray();
            _flushBuffer.Reset();
            _wake.Writer.TryWrite(true);
            return;
        }
        _flushBuffer.Reset();
        Release(live);
    }

    private bool TryQueue(ulong groupId, in Message message, out bool wasEmpty)
    {
        wasEmpty = false;
        if (!_connected)
        {
            Interlocked.Increment(ref Counters.DroppedDisconnected);
            ReportUnreachable();
            return false;
        }
        if (!_queue.TryEnqueue(new GroupMessage(groupId, message), out wasEmpty))
        {
            Interlocked.Increment(ref Counters.DroppedQueueFull);
            return false;
        }
        return true;
    }

    /// <summary>Gives up the writer role; a message queued meanwhile by <see cref="Send"/> wakes the loop.</summary>
    private void Release(Writer live)
    {
        live.Release();
        if (!_queue.IsEmpty)
        {
            _wake.Writer.TryWrite(true);
        }
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
        // _flushBuffer is left to the garbage collector rather than returned to the pool: a link
        // replaced by AddPeer from another thread may still be in the middle of a Flush.
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
                _live = null;
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
    /// Drains the queue into the connection until it breaks, whenever it holds the writer role (it
    /// takes it, or <see cref="Flush"/> hands it over with bytes left to write). A watcher read runs
    /// alongside: the acceptor never sends after the handshake, so any read completing means the peer
    /// closed (or misbehaved), and the pump stops at once instead of at the next failed write.
    /// </summary>
    private async Task PumpAsync(FrameConnection connection, PooledBufferWriter buffer, CancellationToken stop)
    {
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(stop);
        connection.AllowSendNow();
        var watcher = WatchAsync(connection, lost);
        try
        {
            var frames = new BatchFrameWriter(buffer, _context.Options.MaxFrameBytes, _context.Options.MaxFragmentedBatchBytes);
            var live = new Writer(connection);
            _live = live;
            while (true)
            {
                await _wake.Reader.WaitToReadAsync(lost.Token);
                _wake.Reader.TryRead(out _);
                if (live.Carry is { } carry)
                {
                    live.Carry = null;
                    await connection.WriteAsync(carry, lost.Token);
                }
                else if (!live.TryTake())
                {
                    continue; // Flush is writing; it wakes us if it leaves anything
                }
                await DrainAsync(connection, frames, buffer, lost.Token);
                Release(live);
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

    private async Task DrainAsync(FrameConnection connection, BatchFrameWriter frames, PooledBufferWriter buffer, CancellationToken lost)
    {
        while (true)
        {
            var sent = EncodeQueued(frames);
            if (buffer.WrittenCount == 0)
            {
                return;
            }
            await connection.WriteAsync(buffer.WrittenMemory, lost);
            Interlocked.Increment(ref Counters.Writes);
            Interlocked.Add(ref Counters.MessagesSent, sent);
            Interlocked.Add(ref Counters.BytesSent, buffer.WrittenCount);
            buffer.Reset();
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

    /// <summary>
    /// One authenticated connection's writer role: whoever takes it is the only one writing frames to
    /// the socket until it releases it. A new connection gets a new one, so a late Flush on a broken
    /// connection can never release the role on its successor.
    /// </summary>
    private sealed class Writer(FrameConnection connection)
    {
        private int _taken;

        public FrameConnection Connection { get; } = connection;

        /// <summary>Bytes Flush could not write at once, handed to the loop together with the role.</summary>
        public volatile byte[]? Carry;

        public bool TryTake() => Interlocked.CompareExchange(ref _taken, 1, 0) == 0;

        /// <summary>A full fence: the caller's look at the queue afterwards cannot move before it.</summary>
        public void Release() => Interlocked.Exchange(ref _taken, 0);
    }
}
