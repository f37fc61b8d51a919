using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Dst.Protocol;

namespace Dst.Testing.Resp;

/// <summary>
/// A socket that sends exactly the bytes a test means (inline, malformed, split or pipelined frames,
/// which a client library never produces) and reads whole replies back with Dst.Protocol's
/// <see cref="RespReader"/>. Every wait is bounded by <see cref="ReplyTimeout"/>, so a server that
/// never answers fails the test instead of hanging it. Well-formed commands go through
/// <c>Dst.Client.RespConnection</c> instead.
/// </summary>
public sealed class RawConnection : IAsyncDisposable
{
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(60);

    private readonly Socket _socket;
    private readonly RespReader _reader = new();
    private readonly ArrayBufferWriter<byte> _received = new(16 * 1024);
    private int _parsed;

    private RawConnection(Socket socket) => _socket = socket;

    public static async Task<RawConnection> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            return new RawConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>One command as a RESP multibulk of bulk strings.</summary>
    public static byte[] Encode(params string[] arguments)
    {
        var frame = new ArrayBufferWriter<byte>();
        RequestEncoder.Write(frame, arguments);
        return frame.WrittenSpan.ToArray();
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        while (!bytes.IsEmpty)
        {
            bytes = bytes[await _socket.SendAsync(bytes, SocketFlags.None, timeout.Token)..];
        }
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>The next whole reply; a malformed one fails the test.</summary>
    public async Task<RespValue> ReadReplyAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        while (true)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(_received.WrittenMemory[_parsed..]));
            switch (_reader.TryRead(ref reader, out var value, out var error))
            {
                case ParseStatus.Complete:
                    _parsed += (int)reader.Consumed;
                    return value!;
                case ParseStatus.Error:
                    throw new InvalidDataException($"the server sent invalid RESP: {error}");
            }
            if (await ReceiveAsync(timeout.Token) == 0)
            {
                throw new EndOfStreamException("the server closed the connection");
            }
        }
    }

    /// <summary>The bytes of the next whole reply, unparsed (to tell apart what <see cref="RespValue"/> does not, as <c>$-1</c> from <c>*-1</c>).</summary>
    public async Task<byte[]> ReadFrameAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        while (true)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(_received.WrittenMemory[_parsed..]));
            switch (_reader.TryMeasure(ref reader, out var length, out var error))
            {
                case ParseStatus.Complete:
                    var frame = _received.WrittenSpan.Slice(_parsed, (int)length).ToArray();
                    _parsed += (int)length;
                    if (_parsed == _received.WrittenCount)
                    {
                        // Everything read was consumed: start the buffer over, so a long run does not grow it.
                        _received.ResetWrittenCount();
                        _parsed = 0;
                    }
                    return frame;
                case ParseStatus.Error:
                    throw new InvalidDataException($"the server sent invalid RESP: {error}");
            }
            if (await ReceiveAsync(timeout.Token) == 0)
            {
                throw new EndOfStreamException("the server closed the connection");
            }
        }
    }

    /// <summary>
    /// Waits for the server to close the connection and returns every byte it sent that no
    /// <see cref="ReadReplyAsync"/> consumed (the error a protocol violation earns). Fails if the
    /// server keeps the connection open.
    /// </summary>
    public async Task<string> ReadUntilClosedAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        try
        {
            while (await ReceiveAsync(timeout.Token) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // A reset instead of an orderly close still counts as closing.
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the server kept the connection open; it sent: {Unparsed()}");
        }
        return Unparsed();
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<int> ReceiveAsync(CancellationToken cancellation)
    {
        var received = await _socket.ReceiveAsync(_received.GetMemory(16 * 1024), SocketFlags.None, cancellation);
        _received.Advance(received);
        return received;
    }

    private string Unparsed() => Encoding.UTF8.GetString(_received.WrittenSpan[_parsed..]);
}
