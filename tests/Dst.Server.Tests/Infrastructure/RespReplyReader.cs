using System.Globalization;
using System.Text;

namespace Dst.Server.Tests.Infrastructure;

/// <summary>
/// Reads whole RESP2/RESP3 replies from a stream, strictly: a frame that breaks the protocol is a
/// test failure (<see cref="InvalidDataException"/>), and a stream that ends mid-frame is
/// <see cref="EndOfStreamException"/>, so tests can tell "the server closed" from "the server lied".
/// </summary>
public sealed class RespReplyReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>True when bytes already received are waiting to be parsed.</summary>
    public bool HasBufferedBytes => _end > _start;

    public async Task<RespReply> ReadAsync(CancellationToken cancellation)
    {
        var line = await ReadLineAsync(cancellation);
        if (line.Length == 0)
        {
            throw new InvalidDataException("empty reply line");
        }
        var body = line[1..];
        switch (line[0])
        {
            case '+':
                return new RespReply(RespKind.SimpleString, body);
            case '-':
                return new RespReply(RespKind.Error, body);
            case ':':
                return new RespReply(RespKind.Integer, Integer: ParseLong(body));
            case ',':
                return new RespReply(RespKind.Double, body);
            case '(':
                return new RespReply(RespKind.BigNumber, body);
            case '_':
                return RespReply.Null;
            case '#':
                return new RespReply(RespKind.Boolean, Integer: body == "t" ? 1 : body == "f" ? 0 : throw new InvalidDataException($"bad boolean '{line}'"));
            case '$':
            case '!':
            case '=':
                var length = ParseLong(body);
                if (length == -1 && line[0] == '$')
                {
                    return RespReply.Null;
                }
                var text = await ReadBulkAsync(length, cancellation);
                var kind = line[0] switch { '$' => RespKind.BulkString, '!' => RespKind.BulkError, _ => RespKind.Verbatim };
                return new RespReply(kind, text);
            case '*':
            case '~':
            case '>':
            case '%':
                var count = ParseLong(body);
                if (count == -1 && line[0] == '*')
                {
                    return RespReply.Null;
                }
                var elements = line[0] == '%' ? count * 2 : count;
                var items = new List<RespReply>((int)Math.Min(elements, 1024));
                for (var i = 0; i < elements; i++)
                {
                    items.Add(await ReadAsync(cancellation));
                }
                var aggregate = line[0] switch { '*' => RespKind.Array, '~' => RespKind.Set, '>' => RespKind.Push, _ => RespKind.Map };
                return new RespReply(aggregate, Items: items);
            default:
                throw new InvalidDataException($"unknown reply type in line '{line}'");
        }
    }

    private static long ParseLong(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"'{text}' is not an integer");

    private async Task<string> ReadLineAsync(CancellationToken cancellation)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                if (newline == _start || _buffer[newline - 1] != '\r')
                {
                    throw new InvalidDataException("reply line not terminated by CRLF");
                }
                var line = Encoding.UTF8.GetString(_buffer, _start, newline - 1 - _start);
                _start = newline + 1;
                return line;
            }
            await FillAsync(cancellation);
        }
    }

    private async Task<string> ReadBulkAsync(long length, CancellationToken cancellation)
    {
        if (length < 0 || length > int.MaxValue - 2)
        {
            throw new InvalidDataException($"bad bulk length {length}");
        }
        var payload = new byte[length + 2];
        var copied = 0;
        while (copied < payload.Length)
        {
            if (_end == _start)
            {
                await FillAsync(cancellation);
            }
            var take = Math.Min(_end - _start, payload.Length - copied);
            Array.Copy(_buffer, _start, payload, copied, take);
            _start += take;
            copied += take;
        }
        if (payload[^2] != '\r' || payload[^1] != '\n')
        {
            throw new InvalidDataException("bulk payload not terminated by CRLF");
        }
        return Encoding.UTF8.GetString(payload, 0, (int)length);
    }

    private async Task FillAsync(CancellationToken cancellation)
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            throw new InvalidDataException("reply line longer than the read buffer");
        }
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellation);
        if (read == 0)
        {
            throw new EndOfStreamException("the server closed the connection");
        }
        _end += read;
    }
}
