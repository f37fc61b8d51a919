using System.Globalization;
using System.Text;

namespace Dst.Server.Tests.Compatibility;

/// <summary>
/// One RESP frame as sent: <see cref="Kind"/> is its type byte ('+', '-', ':', '$', '*', or any
/// other, kept whole in <see cref="Data"/>); a nil bulk has null <see cref="Data"/>, a nil array null <see cref="Items"/>.
/// </summary>
internal sealed record Reply(char Kind, byte[]? Data, long Integer, Reply[]? Items)
{
    public static Reply Parse(byte[] frame, ref int position)
    {
        var kind = (char)frame[position];
        var line = ReadLine(frame, ref position);
        switch (kind)
        {
            case '+' or '-':
                return new Reply(kind, line, 0, null);
            case ':':
                return new Reply(kind, null, long.Parse(line, CultureInfo.InvariantCulture), null);
            case '$':
                var length = int.Parse(line, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return new Reply(kind, null, 0, null);
                }
                var data = frame.AsSpan(position, length).ToArray();
                position += length + 2;
                return new Reply(kind, data, 0, null);
            case '*':
                var count = int.Parse(line, CultureInfo.InvariantCulture);
                if (count < 0)
                {
                    return new Reply(kind, null, 0, null);
                }
                var items = new Reply[count];
                for (var i = 0; i < count; i++)
                {
                    items[i] = Parse(frame, ref position);
                }
                return new Reply(kind, null, 0, items);
            default:
                // Not RESP2 (a RESP3 type on a RESP2 connection): show the rest of the frame as it is.
                var rest = frame.AsSpan(position - line.Length - 3).ToArray();
                position = frame.Length;
                return new Reply(kind, rest, 0, null);
        }
    }

    /// <summary>A string or integer reply's text; null for anything else.</summary>
    public string? Text => Kind switch
    {
        '+' or '$' when Data is not null => Encoding.UTF8.GetString(Data),
        ':' => Integer.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>redis-cli's way of showing it, on one line, with nil bulk and nil array told apart.</summary>
    public override string ToString() => Kind switch
    {
        '+' => Encoding.UTF8.GetString(Data!),
        '-' => $"(error) {Encoding.UTF8.GetString(Data!)}",
        ':' => $"(integer) {Integer.ToString(CultureInfo.InvariantCulture)}",
        '$' => Data is null ? "(nil)" : Command.Quote(Data),
        '*' => Items is null ? "(nil array)" : $"[{string.Join(", ", Items.Select(item => item.ToString()))}]",
        _ => $"(not RESP2) {Command.Quote(Data!)}",
    };

    private static byte[] ReadLine(byte[] frame, ref int position)
    {
        var end = frame.AsSpan(position).IndexOf("\r\n"u8) + position;
        var line = frame.AsSpan(position + 1, end - position - 1).ToArray();
        position = end + 2;
        return line;
    }
}
