namespace Dst.Cluster.Transport;

/// <summary>
/// The bytes of one node-to-node connection. By default .NET's asynchronous sockets
/// (<see cref="SocketPeerStream"/>); a server serves the connections peers dial to it on its client
/// event loops instead (<see cref="NodeTransportOptions.ServeInbound"/>).
/// </summary>
public interface IPeerStream : IDisposable
{
    /// <summary>Receives into <paramref name="buffer"/> (not empty); 0 means the peer closed.</summary>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Sends all of <paramref name="data"/>.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
