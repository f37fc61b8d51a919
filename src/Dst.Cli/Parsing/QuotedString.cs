using System.Globalization;

namespace Dst.Cli.Parsing;

/// <summary>
/// Reads one quoted section exactly as redis-cli's <c>sdssplitargs</c> does. Inside "double quotes":
/// <c>\n \r \t \b \a</c>, <c>\xHH</c> (one byte), and a backslash before any other character stands
/// for that character. Inside 'single quotes' only <c>\'</c> is an escape; other backslashes are
/// kept. What may follow the closing quote is the caller's rule.
/// </summary>
internal static class QuotedString
{
    public static bool StartsAt(LineCursor cursor) => cursor.Current is '"' or '\'';

    /// <summary>Reads from the opening quote through the closing one, appending the contents to <paramref name="token"/>.</summary>
    /// <exception cref="CommandLineSyntaxException">The closing quote is missing.</exception>
    public static void Read(LineCursor cursor, TokenBuffer token)
    {
        var quote = cursor.Current;
        cursor.Position++;
        while (!cursor.AtEnd)
        {
            var c = cursor.Current;
            if (c == quote)
            {
                cursor.Position++;
                return;
            }
            if (c == '\\' && quote == '"' && cursor.HasNext)
            {
                ReadDoubleQuoteEscape(cursor, token);
            }
            else if (c == '\\' && quote == '\'' && cursor.Next == '\'')
            {
                token.AppendByte((byte)'\'');
                cursor.Position += 2;
            }
            else
            {
                cursor.TakeLiteral(token);
            }
        }
        // redis-cli says only this for an unbalanced quote; keep its exact words.
        throw new CommandLineSyntaxException();
    }

    private static void ReadDoubleQuoteEscape(LineCursor cursor, TokenBuffer token)
    {
        if (cursor.Next == 'x' && IsHexDigit(cursor.At(2)) && IsHexDigit(cursor.At(3)))
        {
            Span<char> digits = [cursor.At(2), cursor.At(3)];
            token.AppendByte(byte.Parse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
            cursor.Position += 4;
            return;
        }
        cursor.Position++;
        var escaped = cursor.Current switch
        {
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'b' => '\b',
            'a' => '\a',
            _ => '\0',
        };
        if (escaped == '\0')
        {
            cursor.TakeLiteral(token);
            return;
        }
        token.AppendByte((byte)escaped);
        cursor.Position++;
    }

    private static bool IsHexDigit(char c) => char.IsAsciiHexDigit(c);
}
