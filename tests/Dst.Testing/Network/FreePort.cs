using System.Net;
using System.Net.Sockets;

namespace Dst.Testing.Network;

public static class FreePort
{
    /// <summary>A loopback port the OS just handed out (bind port 0, read it, close).</summary>
    public static int Next()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
