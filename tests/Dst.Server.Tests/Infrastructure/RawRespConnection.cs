using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Dst.Server.Tests.Infrastructure;

/// <summary>
/// A socket that speaks RESP byte for byte: tests write exactly the frames they mean (valid,
/// inline, malformed or pipelined) and read back whole replies. Every read is bounded by
/// <see cref="ReplyTimeout"/> so a server that never answers fails the test instead of hanging it.
/// </summary>
public sealed class RawRespConnection : IAsyncDisposable
{
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(60);

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly RespReplyReader _reader;

    private RawRespConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new RespReplyReader(_stream);
    }

    public static async Task<RawRespConnection> ConnectAsync(int port, CancellationToken cancellation = default)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellation);
            return new RawRespConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Encodes one command as a RESP multibulk of bulk strings.</summary>
    public static byte[] Encode(params string[] arguments)
    {
        var frame = new StringBuilder().Append('*').Append(arguments.Length).Append("\r\n");
        foreach (var argument in arguments)
        {
            frame.Append('$').Append(Encoding.UTF8.GetByteCount(argument)).Append("\r\n").Append(argument).Append("\r\n");
        }
        return Encoding.UTF8.GetBytes(frame.ToString());
    }

    public async Task<RespReply> ExecuteAsync(params string[] arguments)
    {
        await SendAsync(Encode(arguments));
        return await ReadReplyAsync();
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        await _stream.WriteAsync(bytes, timeout.Token);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task<RespReply> ReadReplyAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        return await _reader.ReadAsync(timeout.Token);
    }

    /// <summary>
    /// Waits for the server to close the connection and returns every byte it sent first
    /// (the error a protocol violation earns). Fails if the server keeps it open.
    /// </summary>
    public async Task<string> ReadUntilClosedAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        using var received = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await _stream.ReadAsync(chunk, timeout.Token)) > 0)
            {
                received.Write(chunk, 0, read);
            }
        }
        catch (IOException)
        {
            // A reset instead of an orderly close still counts as closing.
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the server kept the connection open; it sent: {Encoding.UTF8.GetString(received.ToArray())}");
        }
        return Encoding.UTF8.GetString(received.ToArray());
    }

    /// <summary>Closes the sending side only, as a client that has said everything does.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
