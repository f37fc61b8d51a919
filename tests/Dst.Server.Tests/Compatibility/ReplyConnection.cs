using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Dst.Protocol;

namespace Dst.Server.Tests.Compatibility;

/// <summary>
/// A connection (RESP2, or RESP3 after HELLO 3) that returns each reply as the exact frame the server sent (Dst.Client's
/// <c>RespConnection</c> reads both <c>$-1</c> and <c>*-1</c> as one null, and this test must tell
/// them apart). Framing is Dst.Protocol's <see cref="RespReader"/>; requests are <see cref="RequestEncoder"/>'s.
/// </summary>
internal sealed class ReplyConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly RespReader _reader = new();
    private readonly ArrayBufferWriter<byte> _received = new(64 * 1024);
    private int _parsed;

    private ReplyConnection(Socket socket) => _socket = socket;

    public static async Task<ReplyConnection> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            return new ReplyConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task<Reply> RunAsync(byte[][] args)
    {
        using var deadline = new CancellationTokenSource(RawConnection.ReplyTimeout);
        var request = new ArrayBufferWriter<byte>();
        RequestEncoder.Write(request, args.Select(arg => (ReadOnlyMemory<byte>)arg).ToArray());
        var bytes = request.WrittenMemory;
        while (!bytes.IsEmpty)
        {
            bytes = bytes[await _socket.SendAsync(bytes, SocketFlags.None, deadline.Token)..];
        }
        while (true)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(_received.WrittenMemory[_parsed..]));
            var status = _reader.TryMeasure(ref reader, out var length, out var error);
            if (status == ParseStatus.Complete)
            {
                var frame = _received.WrittenSpan.Slice(_parsed, (int)length).ToArray();
                _parsed += (int)length;
                if (_parsed == _received.WrittenCount)
                {
                    _received.ResetWrittenCount();
                    _parsed = 0;
                }
                var position = 0;
                return Reply.Parse(frame, ref position);
            }
            if (status == ParseStatus.Error)
            {
                throw new InvalidDataException($"invalid RESP from the server: {error}");
            }
            var received = await _socket.ReceiveAsync(_received.GetMemory(16 * 1024), SocketFlags.None, deadline.Token);
            if (received == 0)
            {
                throw new EndOfStreamException("the server closed the connection");
            }
            _received.Advance(received);
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
