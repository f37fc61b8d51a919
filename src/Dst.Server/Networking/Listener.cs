using System.Net;
using System.Net.Sockets;

namespace Dst.Server.Networking;

/// <summary>
/// Accepts TCP connections on every bound address and hands each to a <see cref="ClientConnection"/>.
/// Admission happens here: protected mode and maxclients refuse a client with Redis's error before
/// any request is read.
/// </summary>
public sealed class Listener : IDisposable
{
    private static readonly byte[] MaxClientsReached = "-ERR max number of clients reached\r\n"u8.ToArray();

    private static readonly byte[] ProtectedModeDenied = System.Text.Encoding.ASCII.GetBytes(
        "-DENIED Dst is running in protected mode because protected mode is enabled and no password is set for the default user. "
        + "In this mode connections are only accepted from the loopback interface. If you want to connect from external computers "
        + "to Dst you may adopt one of the following solutions: 1) Just disable protected mode sending the command "
        + "'CONFIG SET protected-mode no' from the loopback interface by connecting to Dst from the same host the server is running, "
        + "however MAKE SURE Dst is not publicly accessible from internet if you do so. 2) Alternatively you can just disable the "
        + "protected mode by editing the Dst configuration file, and setting the protected mode option to 'no', and then restarting "
        + "the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. "
        + "4) Set up an authentication password for the default user. NOTE: You only need to do one of the above things in order "
        + "for the server to start accepting connections from the outside.\r\n");

    private readonly ServerContext _server;
    private readonly EventLoopGroup _loops;
    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _acceptLoops = [];

    public Listener(ServerContext server, EventLoopGroup loops)
    {
        _server = server;
        _loops = loops;
    }

    /// <summary>Binds every configured address; throws <see cref="ListenException"/> with a clear reason if one fails.</summary>
    public void Start()
    {
        foreach (var address in _server.Options.Bind)
        {
            var endPoint = new IPEndPoint(ResolveBindAddress(address), _server.Options.Port);
            var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    socket.DualMode = false;
                }
                socket.Bind(endPoint);
                socket.Listen(511);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                throw new ListenException($"Could not listen on {address}:{_server.Options.Port}: {e.Message}");
            }
            _sockets.Add(socket);
        }
        foreach (var socket in _sockets)
        {
            _acceptLoops.Add(Task.Run(() => AcceptLoopAsync(socket)));
        }
    }

    public IEnumerable<EndPoint> EndPoints => _sockets.Select(s => s.LocalEndPoint!);

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            _server.Stats.ConnectionReceived();
            socket.NoDelay = true;
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        if (IsDeniedByProtectedMode(socket))
        {
            await RefuseAsync(socket, ProtectedModeDenied, "protected mode").ConfigureAwait(false);
            return;
        }
        using var client = new ClientConnection(new LoopSocket(socket, _loops.Next()), _server, _server.Clients.NextId());
        if (!_server.Clients.TryAdd(client, _server.Options.MaxClients))
        {
            CountRefused(client.Address, "maxclients");
            await client.RefuseAsync(MaxClientsReached).ConfigureAwait(false);
            return;
        }
        try
        {
            await client.RunAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A bug must not take the server down with it; the client is closed and the cause logged.
            _server.Log.Warning($"Client id={client.Id} addr={client.Address} closed after an unexpected error: {e}");
        }
        finally
        {
            _server.Clients.Remove(client);
        }
    }

    private bool IsDeniedByProtectedMode(Socket socket) =>
        _server.Options.ProtectedMode
        && _server.Options.RequirePass is null
        && socket.RemoteEndPoint is IPEndPoint remote
        && !IPAddress.IsLoopback(remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address);

    private void CountRefused(string client, string reason)
    {
        _server.Stats.ConnectionRejected();
        _server.Log.Verbose($"Refused {client}: {reason}");
    }

    private async Task RefuseAsync(Socket socket, byte[] error, string reason)
    {
        CountRefused($"{socket.RemoteEndPoint}", reason);
        try
        {
            await socket.SendAsync(error, SocketFlags.None).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The client left first.
        }
        finally
        {
            socket.Dispose();
        }
    }

    private static IPAddress ResolveBindAddress(string address)
    {
        switch (address)
        {
            case "*" or "0.0.0.0":
                return IPAddress.Any;
            case "::*" or "::":
                return IPAddress.IPv6Any;
            case "localhost":
                return IPAddress.Loopback;
        }
        if (IPAddress.TryParse(address.Trim('[', ']'), out var parsed))
        {
            return parsed;
        }
        throw new ListenException($"Invalid bind address '{address}': give an IPv4 or IPv6 address, '*' or '::*'");
    }

    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
    }
}

/// <summary>The server cannot listen where it was told to.</summary>
public sealed class ListenException(string message) : Exception(message);
