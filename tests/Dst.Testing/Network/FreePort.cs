using System.Net;
using System.Net.Sockets;

namespace Dst.Testing.Network;

public static class FreePort
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, bool> s_handedOut = new();

    /// <summary>
    /// A loopback port the OS just handed out (bind port 0, read it, close), never one this process
    /// handed out before: the OS may offer a closed port again before its first user binds it
    /// (seen in CI: a node's cluster port equal to another node's client port).
    /// </summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
            if (s_handedOut.TryAdd(port, true))
            {
                return port;
            }
        }
    }
}
