using Dst.Cluster.Transport;

namespace Dst.Server.Networking;

/// <summary>
/// A connection another node dialled to this one, served by a client event loop
/// (<see cref="NodeTransportOptions.ServeInbound"/>): a leader reads its followers' answers where it
/// answers its clients, and the Raft pass they bring joins the loop's pass before it sleeps.
/// </summary>
internal sealed class LoopPeerStream(LoopSocket socket) : IPeerStream
{
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled ? ReceiveCancellableAsync(buffer, cancellationToken) : socket.ReceiveAsync(buffer);

    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled ? SendCancellableAsync(data, cancellationToken) : socket.SendAsync(data);

    public void Dispose() => socket.Dispose();

    // A loop socket's wait cannot be called off; closing the socket ends it. Only the handshake waits
    // with a deadline, and a handshake that missed it ends the connection anyway.
    private async ValueTask<int> ReceiveCancellableAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        using (cancellationToken.UnsafeRegister(static s => ((LoopSocket)s!).Dispose(), socket))
        {
            try
            {
                return await socket.ReceiveAsync(buffer).ConfigureAwait(false);
            }
            catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
    }

    private async ValueTask SendCancellableAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        using (cancellationToken.UnsafeRegister(static s => ((LoopSocket)s!).Dispose(), socket))
        {
            try
            {
                await socket.SendAsync(data).ConfigureAwait(false);
            }
            catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
    }
}
