using System.Globalization;
using System.Text;

namespace Dst.Server.Tests.Compatibility;

/// <summary>
/// One RESP2 or RESP3 frame as sent. <see cref="Kind"/> is its type byte. Lines ('+', '-', ',' double,
/// '#' boolean, '(' big number) and bulks ('$', '!' bulk error, '=' verbatim) keep their bytes in
/// <see cref="Data"/>; ':' its <see cref="Integer"/>; aggregates ('*', '~' set, '&gt;' push, and '%'
/// map or '|' attribute, flat as key, value, ...) their <see cref="Items"/>. A nil bulk has null
/// <see cref="Data"/>, a nil array null <see cref="Items"/>, RESP3's null is <see cref="Kind"/> '_'.
/// </summary>
internal sealed record Reply(char Kind, byte[]? Data, long Integer, Reply[]? Items)
{
    public static Reply Parse(byte[] frame, ref int position)
    {
        var kind = (char)frame[position];
        var line = ReadLine(frame, ref position);
        switch (kind)
        {
            case '+' or '-' or ',' or '#' or '(':
                return new Reply(kind, line, 0, null);
            case '_':
                return new Reply(kind, null, 0, null);
            case ':':
                return new Reply(kind, null, long.Parse(line, CultureInfo.InvariantCulture), null);
            case '$' or '!' or '=':
                var length = int.Parse(line, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return new Reply(kind, null, 0, null);
                }
                var data = frame.AsSpan(position, length).ToArray();
                position += length + 2;
                return new Reply(kind, data, 0, null);
            case '*' or '~' or '>' or '%' or '|':
                var count = int.Parse(line, CultureInfo.InvariantCulture);
                if (count < 0)
                {
                    return new Reply(kind, null, 0, null);
                }
                var items = new Reply[kind is '%' or '|' ? count * 2 : count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = Parse(frame, ref position);
                }
                return new Reply(kind, null, 0, items);
            default:
                // Not RESP at all: show the rest of the frame as it is.
                var rest = frame.AsSpan(position - line.Length - 3).ToArray();
                position = frame.Length;
                return new Reply(kind, rest, 0, null);
        }
    }

    /// <summary>A string, integer or double reply's text; null for anything else.</summary>
    public string? Text => Kind switch
    {
        '+' or '$' or ',' when Data is not null => Encoding.UTF8.GetString(Data),
        ':' => Integer.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>redis-cli's way of showing it, on one line, with every RESP type and both RESP2 nils told apart.</summary>
    public override string ToString() => Kind switch
    {
        '+' => Encoding.UTF8.GetString(Data!),
        '-' => $"(error) {Encoding.UTF8.GetString(Data!)}",
        '!' => Data is null ? "(nil bulk error)" : $"(bulk error) {Command.Quote(Data)}",
        ':' => $"(integer) {Integer.ToString(CultureInfo.InvariantCulture)}",
        ',' => $"(double) {Encoding.ASCII.GetString(Data!)}",
        '#' => $"(boolean) {Encoding.ASCII.GetString(Data!)}",
        '(' => $"(big number) {Encoding.ASCII.GetString(Data!)}",
        '_' => "(null)",
        '$' => Data is null ? "(nil)" : Command.Quote(Data),
        '=' => Data is null ? "(nil verbatim)" : $"(verbatim) {Command.Quote(Data)}",
        '*' => Items is null ? "(nil array)" : $"[{Join(Items)}]",
        '~' => Items is null ? "(nil set)" : $"(set) [{Join(Items)}]",
        '>' => Items is null ? "(nil push)" : $"(push) [{Join(Items)}]",
        '%' or '|' => Items is null ? $"(nil {Kind})" : $"{(Kind == '|' ? "(attribute) " : "")}{{{string.Join(", ", Items.Chunk(2).Select(pair => $"{pair[0]} => {pair[1]}"))}}}",
        _ => $"(not RESP) {Command.Quote(Data!)}",
    };

    private static string Join(IEnumerable<Reply> items) => string.Join(", ", items.Select(item => item.ToString()));

    private static byte[] ReadLine(byte[] frame, ref int position)
    {
        var end = frame.AsSpan(position).IndexOf("\r\n"u8) + position;
        var line = frame.AsSpan(position + 1, end - position - 1).ToArray();
        position = end + 2;
        return line;
    }
}
