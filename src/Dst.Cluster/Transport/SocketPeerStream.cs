using System.Net.Sockets;

namespace Dst.Cluster.Transport;

/// <summary>A peer connection on .NET's asynchronous sockets; disposing it closes the socket.</summary>
internal sealed class SocketPeerStream(Socket socket) : IPeerStream
{
    private readonly NetworkStream _network = new(socket, ownsSocket: true);

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _network.ReadAsync(buffer, cancellationToken);

    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        _network.WriteAsync(data, cancellationToken);

    // Closing the socket is what interrupts a pending read or write on another task.
    public void Dispose() => socket.Dispose();
}
