using System.Net;
using System.Net.Sockets;

namespace Dst.Cluster.Transport;

/// <summary>
/// A TCP connection that carries frames. Reads go through a buffer so that many small frames cost
/// one receive; each frame's payload is read into a fresh array because decoded entries alias it.
/// Writes go straight to the socket: the caller hands over whole frames, one write per batch.
/// </summary>
internal sealed class FrameConnection : IDisposable
{
    private const int ReceiveBufferSize = 64 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _network;
    private readonly BufferedStream _input;
    private readonly byte[] _header = new byte[FrameHeader.Size];

    public FrameConnection(Socket socket)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _network = new NetworkStream(socket, ownsSocket: true);
        _input = new BufferedStream(_network, ReceiveBufferSize);
        RemoteEndPoint = socket.RemoteEndPoint;
    }

    public EndPoint? RemoteEndPoint { get; }

    /// <summary>
    /// Reads the next frame, or null when the peer closed the connection between frames.
    /// </summary>
    /// <exception cref="FrameFormatException">Oversize, empty, corrupt or of an unknown kind.</exception>
    /// <exception cref="EndOfStreamException">The connection ended inside a frame.</exception>
    public async ValueTask<Frame?> ReadFrameAsync(int maxPayload, CancellationToken cancellationToken)
    {
        var headerBytes = await _input.ReadAtLeastAsync(_header, FrameHeader.Size, throwOnEndOfStream: false, cancellationToken);
        if (headerBytes == 0)
        {
            return null;
        }
        if (headerBytes < FrameHeader.Size)
        {
            throw new EndOfStreamException($"connection ended {headerBytes} bytes into a frame header");
        }
        var length = FrameHeader.ReadLength(_header, maxPayload, out var checksum);
        var payload = new byte[length];
        await _input.ReadExactlyAsync(payload, cancellationToken);
        FrameHeader.VerifyChecksum(payload, checksum);
        var kind = (FrameKind)payload[0];
        if (!Enum.IsDefined(kind))
        {
            throw new FrameFormatException($"unknown frame kind {payload[0]}");
        }
        return new Frame(kind, payload.AsMemory(1));
    }

    /// <summary>Completes when the peer closes the connection or sends anything at all.</summary>
    public async Task WaitForPeerCloseOrDataAsync(CancellationToken cancellationToken)
    {
        var probe = new byte[1];
        // Any outcome ends the wait: the count read does not matter, only that the read returned.
        _ = await _input.ReadAsync(probe, cancellationToken);
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> frames, CancellationToken cancellationToken) =>
        _network.WriteAsync(frames, cancellationToken);

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

    public void Dispose()
    {
        // Closing the socket is what interrupts a pending read or write on another task. The
        // buffered reader over it is not disposed: it holds only a buffer, and BufferedStream's
        // Dispose races with a read still running on another task (a NullReferenceException seen in CI).
        _socket.Dispose();
    }
}
