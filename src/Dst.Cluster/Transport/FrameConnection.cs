using System.Net;
using System.Net.Sockets;

namespace Dst.Cluster.Transport;

/// <summary>
/// A TCP connection that carries frames. Reads go through a buffer so that many small frames cost
/// one receive; each frame's payload is a fresh array because decoded entries alias it. Writes go
/// straight to the socket: the caller hands over whole frames, one write per batch.
/// </summary>
internal sealed class FrameConnection : IDisposable
{
    private const int ReceiveBufferSize = 64 * 1024;

    private readonly Socket _socket;
    private readonly IPeerStream _stream;
    private readonly FrameReceiveBuffer _input = new(ReceiveBufferSize);

    /// <param name="stream">The socket's bytes; null for .NET's asynchronous sockets.</param>
    public FrameConnection(Socket socket, IPeerStream? stream = null)
    {
        _socket = socket;
        _socket.NoDelay = true;
        RemoteEndPoint = socket.RemoteEndPoint;
        _stream = stream ?? new SocketPeerStream(socket);
    }

    public EndPoint? RemoteEndPoint { get; }

    /// <summary>
    /// Reads the next frame, or null when the peer closed the connection between frames.
    /// </summary>
    /// <exception cref="FrameFormatException">Oversize, empty, corrupt or of an unknown kind.</exception>
    /// <exception cref="EndOfStreamException">The connection ended inside a frame.</exception>
    public async ValueTask<Frame?> ReadFrameAsync(int maxPayload, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_input.TryTake(maxPayload, out var frame))
            {
                return frame;
            }
            if (!await ReceiveMoreAsync(cancellationToken))
            {
                return null;
            }
        }
    }

    /// <summary>Takes a frame already received, without waiting; false when none is complete.</summary>
    /// <exception cref="FrameFormatException">Oversize, empty, corrupt or of an unknown kind.</exception>
    public bool TryTakeReceivedFrame(int maxPayload, out Frame frame) => _input.TryTake(maxPayload, out frame);

    /// <summary>
    /// One receive into the frame buffer; false when the peer closed the connection between frames.
    /// </summary>
    /// <exception cref="EndOfStreamException">The connection ended inside a frame.</exception>
    public async ValueTask<bool> ReceiveMoreAsync(CancellationToken cancellationToken)
    {
        var received = await _stream.ReceiveAsync(_input.FreeSpace, cancellationToken);
        if (received > 0)
        {
            _input.Advance(received);
            return true;
        }
        if (_input.InsideFrame)
        {
            throw new EndOfStreamException("the connection ended inside a frame");
        }
        return false;
    }

    /// <summary>Completes when the peer closes the connection or sends anything at all.</summary>
    public async Task WaitForPeerCloseOrDataAsync(CancellationToken cancellationToken)
    {
        if (_input.Buffered == 0)
        {
            // Any outcome ends the wait: the count read does not matter, only that the read returned.
            await ReceiveMoreAsync(cancellationToken);
        }
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> frames, CancellationToken cancellationToken) =>
        _stream.SendAsync(frames, cancellationToken);

    /// <summary>
    /// From now on <see cref="TrySendNow"/> may be used. The socket stops blocking the caller of a
    /// synchronous send (asynchronous reads and writes work as before); set once the handshake is done.
    /// </summary>
    public void AllowSendNow() => _socket.Blocking = false;

    /// <summary>
    /// Sends what the socket takes at once, without waiting: the count of bytes it took, which is short
    /// of <paramref name="frames"/>' length when its send buffer is full.
    /// </summary>
    /// <exception cref="SocketException">The connection is broken.</exception>
    public int TrySendNow(ReadOnlySpan<byte> frames)
    {
        var sent = _socket.Send(frames, SocketFlags.None, out var error);
        return error is SocketError.Success or SocketError.WouldBlock ? sent : throw new SocketException((int)error);
    }

    /// <summary>Closes the connection, which interrupts a pending read or write on another task.</summary>
    public void Dispose() => _stream.Dispose();
}
