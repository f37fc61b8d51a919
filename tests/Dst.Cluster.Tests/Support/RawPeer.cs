using System.Net;
using System.Net.Sockets;
using Dst.Cluster.Transport;

namespace Dst.Cluster.Tests.Support;

/// <summary>
/// A hand-driven connection to a node's cluster port, for sending exactly the bytes a test wants:
/// garbage, frames without a handshake, forged proofs, spoofed or corrupt batches.
/// </summary>
internal sealed class RawPeer : IDisposable
{
    private readonly FrameConnection _connection;

    private RawPeer(FrameConnection connection) => _connection = connection;

    public static async Task<RawPeer> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint);
        return new RawPeer(new FrameConnection(socket));
    }

    public Task AuthenticateAsync(ulong selfId, ulong peerId, byte[] secret) =>
        Handshake.InitiateAsync(_connection, secret, selfId, peerId, CancellationToken.None);

    public async Task SendBytesAsync(byte[] bytes) => await _connection.WriteAsync(bytes, CancellationToken.None);

    public Task SendBatchAsync(params GroupMessage[] messages) => SendBytesAsync(BatchFrame(messages));

    public Task<ReadOnlyMemory<byte>> ReceiveAsync(FrameKind kind, int bodySize) =>
        Handshake.ReceiveAsync(_connection, kind, bodySize, CancellationToken.None);

    /// <summary>
    /// Completes when the node closes the connection; fails the test if it does not within the deadline.
    /// A close may arrive as a reset (the node closed with bytes of ours unread), which counts as closed,
    /// as it does for <c>PeerLink</c>.
    /// </summary>
    public async Task WaitForCloseAsync()
    {
        using var deadline = new CancellationTokenSource(RecordingHandler.Deadline);
        try
        {
            await _connection.WaitForPeerCloseOrDataAsync(deadline.Token);
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
        }
    }

    /// <summary>Whole Batch frames (header included) holding <paramref name="messages"/>.</summary>
    public static byte[] BatchFrame(params GroupMessage[] messages)
    {
        using var buffer = new PooledBufferWriter(1024, 1 << 20);
        var frames = new BatchFrameWriter(buffer, 1 << 20, 1 << 30);
        foreach (var item in messages)
        {
            Assert.True(frames.TryAppend(item.GroupId, item.Message));
        }
        frames.Complete();
        return buffer.WrittenMemory.ToArray();
    }

    public void Dispose() => _connection.Dispose();
}
