using System.Net.Sockets;

namespace Dst.Testing.Network;

/// <summary>The dialler's socket and, unless blackholed, the proxy's socket to the target.</summary>
internal sealed class ProxiedConnection(Socket client, Socket? upstream)
{
    private int _cut;

    /// <summary>Resets both sides (RST, not FIN) so each end learns at once that the connection is gone.</summary>
    public void Cut()
    {
        if (Interlocked.Exchange(ref _cut, 1) == 0)
        {
            Reset(client);
            if (upstream is not null)
            {
                Reset(upstream);
            }
        }
    }

    public static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        socket.Dispose();
    }
}
