using System.Net.Sockets;
using System.Text;
using Dst.Cli.Options;
using Dst.Client;
using Dst.Protocol;

namespace Dst.Cli.Session;

/// <summary>
/// The connection to one server as the user experiences it: connects on first use, authenticates
/// (<c>AUTH</c>), negotiates the protocol (<c>HELLO 3</c>, falling back to RESP2 unless -3 insists),
/// and after the server drops the connection reconnects before the next command. A dropped
/// connection is reported once, as <see cref="ServerUnavailableException"/>; the command that was
/// in flight is not re-sent, because it may already have been applied.
/// </summary>
public sealed class ServerSession(CliOptions options) : IAsyncDisposable
{
    private readonly CliOptions _options = options;
    private RespConnection? _connection;

    /// <summary>"host:port", as the prompt shows it.</summary>
    public string Endpoint { get; } = $"{options.Host}:{options.Port}";

    public bool IsConnected => _connection is not null;

    /// <summary>2 or 3: what the server replies in.</summary>
    public int Protocol => _connection?.Protocol ?? 2;

    /// <summary>Connects and performs the handshake unless already connected.</summary>
    public async Task EnsureConnectedAsync(CancellationToken cancellationToken = default)
    {
        if (_connection is not null)
        {
            return;
        }
        RespConnection connection;
        try
        {
            connection = await RespConnection.ConnectAsync(_options.Host, _options.Port, cancellationToken);
        }
        catch (SocketException error)
        {
            throw new ServerUnavailableException($"Could not connect to Dst at {Endpoint}: {error.Message}", error);
        }
        try
        {
            await HandshakeAsync(connection, cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        _connection = connection;
    }

    /// <summary>Runs one command and returns its reply (error replies are replies, not exceptions).</summary>
    public async Task<RespValue> ExecuteAsync(IReadOnlyList<byte[]> arguments, CancellationToken cancellationToken = default)
    {
        await EnsureConnectedAsync(cancellationToken);
        var connection = _connection!;
        RespValue reply;
        try
        {
            reply = await connection.ExecuteAsync([.. arguments.Select(a => (ReadOnlyMemory<byte>)a)], cancellationToken);
        }
        catch (Exception error) when (error is RespConnectionException or SocketException or IOException)
        {
            await DropAsync();
            throw new ServerUnavailableException($"Error: {error.Message}", error);
        }
        if (!reply.IsError && IsAuth(arguments) && connection.Protocol == 2 && _options.Protocol != ProtocolChoice.Resp2)
        {
            // Authenticated by hand after a server that wanted a password refused the first HELLO: negotiate again.
            await connection.HelloAsync(3, cancellationToken);
        }
        return reply;
    }

    public async ValueTask DisposeAsync() => await DropAsync();

    private async Task DropAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
    }

    private async Task HandshakeAsync(RespConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            if (_options.Password is { } password)
            {
                string[] auth = _options.User is { } user ? ["AUTH", user, password] : ["AUTH", password];
                var reply = await connection.ExecuteAsync(auth, cancellationToken);
                if (reply.IsError)
                {
                    throw new ServerUnavailableException($"AUTH failed: {reply.GetString()}");
                }
            }
            if (_options.Protocol == ProtocolChoice.Resp2)
            {
                return;
            }
            var hello = await connection.HelloAsync(3, cancellationToken);
            if (hello.IsError && _options.Protocol == ProtocolChoice.Resp3)
            {
                throw new ServerUnavailableException($"The server at {Endpoint} does not speak RESP3 (-3): {hello.GetString()}");
            }
        }
        catch (Exception error) when (error is RespConnectionException or SocketException or IOException)
        {
            throw new ServerUnavailableException($"Could not connect to Dst at {Endpoint}: {error.Message}", error);
        }
    }

    private static bool IsAuth(IReadOnlyList<byte[]> arguments) =>
        arguments.Count >= 2 && Ascii.EqualsIgnoreCase(arguments[0], "auth"u8);
}
