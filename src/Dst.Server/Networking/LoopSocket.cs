using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Dst.Server.Networking.Linux;

namespace Dst.Server.Networking;

/// <summary>
/// A client socket served by an <see cref="EventLoop"/>, registered edge-triggered for reading and
/// writing. A receive costs one recv: it is tried at once only while the socket may hold data (no recv
/// yet came back short since the last edge); otherwise it waits for the next edge and the loop thread
/// receives and resumes the caller. A send is tried at once and waits for an edge only when the kernel's
/// buffer is full. Edges are counted, so an edge that arrives while another thread is in recv or send is
/// never mistaken for the state that call saw.
/// </summary>
public sealed class LoopSocket : IDisposable
{
    private const uint ReadEvents = LinuxSyscalls.EPOLLIN | LinuxSyscalls.EPOLLRDHUP | LinuxSyscalls.EPOLLHUP | LinuxSyscalls.EPOLLERR;
    private const uint WriteEvents = LinuxSyscalls.EPOLLOUT | LinuxSyscalls.EPOLLHUP | LinuxSyscalls.EPOLLERR;

    private readonly Socket _socket;
    private readonly SafeSocketHandle _handle;
    private readonly EventLoop _loop;
    private readonly Lock _gate = new();
    private readonly SocketOperation _receive = new();
    private readonly SocketOperation _send = new();
    private readonly byte[] _peekByte = new byte[1];
    private GCHandle _self;
    private bool _disposed;

    // Read side, under _gate.
    private bool _mayHaveData = true;
    private int _readEdges;
    private bool _receiveWaiting;
    private bool _receivePeeks;
    private int _receiveWaitId;
    private Memory<byte> _receiveBuffer;

    // Write side, under _gate.
    private int _writeEdges;
    private bool _sendWaiting;
    private ReadOnlyMemory<byte> _sendRemaining;

    public LoopSocket(Socket socket, EventLoop loop)
    {
        _socket = socket;
        _handle = socket.SafeHandle;
        _loop = loop;
        RemoteEndPoint = socket.RemoteEndPoint;
        LocalEndPoint = socket.LocalEndPoint;
        _self = GCHandle.Alloc(this);
        LinuxSyscalls.Add(loop.Epoll, _handle, ReadEvents | WriteEvents | LinuxSyscalls.EPOLLET, (ulong)GCHandle.ToIntPtr(_self));
    }

    public EndPoint? RemoteEndPoint { get; }

    public EndPoint? LocalEndPoint { get; }

    /// <summary>Receives into <paramref name="buffer"/> (not empty); 0 means the peer closed.</summary>
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer)
    {
        while (true)
        {
            int edges;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (!_mayHaveData)
                {
                    return WaitToReceive(buffer, peek: false);
                }
                edges = _readEdges;
            }
            var received = LinuxSyscalls.Receive(_handle, buffer.Span, 0, out var errno);
            if (received > 0)
            {
                if (received < buffer.Length)
                {
                    MarkDrained(edges);
                }
                return new ValueTask<int>(received);
            }
            if (received == 0)
            {
                return new ValueTask<int>(0);
            }
            if (errno == LinuxSyscalls.EAGAIN)
            {
                MarkDrained(edges);
            }
            else if (errno != LinuxSyscalls.EINTR)
            {
                return ValueTask.FromException<int>(LinuxSyscalls.ToSocketException(errno));
            }
        }
    }

    /// <summary>Sends all of <paramref name="data"/>.</summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> data)
    {
        while (true)
        {
            int edges;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                edges = _writeEdges;
            }
            var sent = LinuxSyscalls.Send(_handle, data.Span, out var errno);
            if (sent >= 0)
            {
                data = data[sent..];
                if (data.IsEmpty)
                {
                    return ValueTask.CompletedTask;
                }
                continue;
            }
            if (errno == LinuxSyscalls.EAGAIN)
            {
                lock (_gate)
                {
                    if (_writeEdges == edges)
                    {
                        _sendRemaining = data;
                        _sendWaiting = true;
                        return new ValueTask(_send, _send.Arm());
                    }
                }
            }
            else if (errno != LinuxSyscalls.EINTR)
            {
                return ValueTask.FromException(LinuxSyscalls.ToSocketException(errno));
            }
        }
    }

    /// <summary>
    /// Waits without consuming anything until the peer closes (true) or sends data (false); a cancelled
    /// <paramref name="stop"/> throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<bool> WaitForPeerCloseAsync(CancellationToken stop)
    {
        while (true)
        {
            stop.ThrowIfCancellationRequested();
            ValueTask<int> wait = default;
            bool waiting;
            int edges;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                edges = _readEdges;
                waiting = !_mayHaveData;
                if (waiting)
                {
                    wait = WaitToReceive(_peekByte, peek: true);
                }
            }
            if (waiting)
            {
                using (stop.UnsafeRegister(static s => ((LoopSocket)s!).CancelPeek(), this))
                {
                    return await wait.ConfigureAwait(false) == 0;
                }
            }
            var received = LinuxSyscalls.Receive(_handle, _peekByte, LinuxSyscalls.MSG_PEEK, out var errno);
            if (received >= 0)
            {
                return received == 0;
            }
            if (errno == LinuxSyscalls.EAGAIN)
            {
                MarkDrained(edges);
            }
            else if (errno != LinuxSyscalls.EINTR)
            {
                return true;
            }
        }
    }

    /// <summary>Shuts both directions down: a waiting receive sees the end of the stream.</summary>
    public void Shutdown()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
    }

    /// <summary>Called on the loop thread with the events epoll reported for this socket.</summary>
    internal void OnEvents(uint events)
    {
        if ((events & ReadEvents) != 0)
        {
            OnReadable();
        }
        if ((events & WriteEvents) != 0)
        {
            OnWritable();
        }
    }

    private ValueTask<int> WaitToReceive(Memory<byte> buffer, bool peek)
    {
        _receiveBuffer = buffer;
        _receivePeeks = peek;
        _receiveWaiting = true;
        _receiveWaitId++;
        return _receive.AsValueTask(_receive.Arm());
    }

    private void MarkDrained(int edgesBefore)
    {
        lock (_gate)
        {
            if (_readEdges == edgesBefore)
            {
                _mayHaveData = false;
            }
        }
    }

    private void OnReadable()
    {
        Memory<byte> buffer;
        bool peek;
        int waitId;
        lock (_gate)
        {
            _readEdges++;
            if (!_receiveWaiting || _disposed)
            {
                _mayHaveData = true;
                return;
            }
            buffer = _receiveBuffer;
            peek = _receivePeeks;
            waitId = _receiveWaitId;
        }
        int received, errno;
        do
        {
            received = LinuxSyscalls.Receive(_handle, buffer.Span, peek ? LinuxSyscalls.MSG_PEEK : 0, out errno);
        }
        while (received < 0 && errno == LinuxSyscalls.EINTR);
        if (received < 0 && errno == LinuxSyscalls.EAGAIN)
        {
            return; // A spurious edge: the receive keeps waiting for the next one.
        }
        lock (_gate)
        {
            if (!_receiveWaiting || _receiveWaitId != waitId)
            {
                return; // A peek cancelled meanwhile; nothing was consumed.
            }
            _receiveWaiting = false;
            _receiveBuffer = default;
            _mayHaveData = peek ? received != 0 : received == buffer.Length;
        }
        if (received >= 0)
        {
            _receive.Complete(received);
        }
        else
        {
            _receive.Fail(LinuxSyscalls.ToSocketException(errno));
        }
    }

    private void OnWritable()
    {
        ReadOnlyMemory<byte> data;
        lock (_gate)
        {
            _writeEdges++;
            if (!_sendWaiting || _disposed)
            {
                return;
            }
            data = _sendRemaining;
        }
        while (true)
        {
            var sent = LinuxSyscalls.Send(_handle, data.Span, out var errno);
            if (sent >= 0)
            {
                data = data[sent..];
                if (!data.IsEmpty)
                {
                    continue;
                }
                EndSendWait();
                _send.Complete(0);
                return;
            }
            if (errno == LinuxSyscalls.EAGAIN)
            {
                lock (_gate)
                {
                    _sendRemaining = data;
                }
                return;
            }
            if (errno != LinuxSyscalls.EINTR)
            {
                EndSendWait();
                _send.Fail(LinuxSyscalls.ToSocketException(errno));
                return;
            }
        }
    }

    private void EndSendWait()
    {
        lock (_gate)
        {
            _sendWaiting = false;
            _sendRemaining = default;
        }
    }

    private void CancelPeek()
    {
        lock (_gate)
        {
            if (!_receiveWaiting || !_receivePeeks)
            {
                return;
            }
            _receiveWaiting = false;
        }
        _receive.Fail(new OperationCanceledException());
    }

    /// <summary>
    /// Closes the socket; a receive or send still waiting fails. The GCHandle epoll carries is freed on
    /// the loop, after any event already reported for this socket has been handled.
    /// </summary>
    public void Dispose()
    {
        bool receiveWaited, sendWaited;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            receiveWaited = _receiveWaiting;
            sendWaited = _sendWaiting;
            _receiveWaiting = _sendWaiting = false;
        }
        LinuxSyscalls.Remove(_loop.Epoll, _handle);
        _socket.Dispose();
        _loop.Post(static s => ((LoopSocket)s!)._self.Free(), this);
        if (receiveWaited)
        {
            _receive.Fail(new ObjectDisposedException(nameof(LoopSocket)));
        }
        if (sendWaited)
        {
            _send.Fail(new ObjectDisposedException(nameof(LoopSocket)));
        }
    }
}
