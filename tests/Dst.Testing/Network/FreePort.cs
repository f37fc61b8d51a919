using System.Net;
using System.Net.Sockets;

namespace Dst.Testing.Network;

public static class FreePort
{
    /// <summary>
    /// Ports are drawn below Linux's ephemeral range (32768-60999 by default): a port the OS hands to
    /// a listener on port 0 or to an outgoing connection could otherwise be taken between handing it
    /// out here and the server binding it (seen in CI: a test's echo listener answered a server's
    /// PING). A node's default cluster port (client port + 10000) then falls in 22000-29999: outside
    /// this range, so never another server's port, and below the ephemeral range too.
    /// </summary>
    private const int First = 12000;
    private const int Last = 19999;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, bool> s_handedOut = new();

    /// <summary>A loopback port that is free now and that this process never handed out before.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            var port = Random.Shared.Next(First, Last + 1);
            if (!s_handedOut.TryAdd(port, true))
            {
                continue;
            }
            if (IsFree(port))
            {
                return port;
            }
        }
        throw new InvalidOperationException($"no free loopback port left in {First}-{Last}");
    }

    private static bool IsFree(int port)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
