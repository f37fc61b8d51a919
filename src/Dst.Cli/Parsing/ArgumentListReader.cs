using System.Text.RegularExpressions;
using Dst.Cli.Text;

namespace Dst.Cli.Parsing;

/// <summary>
/// The comma-separated argument lists of the function-call form <c>str.put("k1", "v1")</c> and the
/// list form <c>task_table.add "00001", "22222", 3, ["1", "2"]</c>. An item is a quoted string (same
/// quoting and escapes as redis-cli), a bare word (ends at a blank, a comma, ')' or ']'),
/// or an array <c>[a, b, ...]</c>, which becomes ONE argument holding its JSON text: quoted items
/// become JSON strings, numbers, true, false and null stay as they are, other bare words become
/// strings, arrays nest. So <c>["1", "2"]</c> sends <c>["1","2"]</c>: one value for one table column.
/// </summary>
internal static partial class ArgumentListReader
{
    /// <summary>
    /// Reads items up to <paramref name="closer"/> (consumed), or up to the end of the line when
    /// <paramref name="closer"/> is '\0'. An empty list is allowed only between brackets.
    /// </summary>
    public static void ReadList(LineCursor cursor, TokenBuffer token, char closer, List<byte[]> arguments)
    {
        cursor.SkipBlanks();
        if (closer != '\0' && !cursor.AtEnd && cursor.Current == closer)
        {
            cursor.Position++;
            return;
        }
        while (true)
        {
            cursor.SkipBlanks();
            ReadItem(cursor, token, closer);
            arguments.Add(token.Take());
            if (AtListEnd(cursor, closer))
            {
                return;
            }
        }
    }

    /// <summary>True when the first item is followed by a comma in the way that selects the list form.</summary>
    public static bool StartsCommaList(LineCursor cursor)
    {
        var start = cursor.Position;
        try
        {
            var startsQuotedOrArray = QuotedString.StartsAt(cursor) || cursor.Current == '[';
            ReadItem(cursor, new TokenBuffer(), '\0');
            // A bare word glued to a comma ("GET a,b") stays one redis-cli word.
            return cursor.Current == ',' && !cursor.AtEnd && (startsQuotedOrArray || LineCursor.IsBlank(cursor.Next));
        }
        catch (CommandLineSyntaxException)
        {
            return false;
        }
        finally
        {
            cursor.Position = start;
        }
    }

    /// <summary>After an item: consumes the separator; true when the list is complete.</summary>
    private static bool AtListEnd(LineCursor cursor, char closer)
    {
        cursor.SkipBlanks();
        if (cursor.AtEnd)
        {
            return closer == '\0' ? true : throw new CommandLineSyntaxException($"missing '{closer}'");
        }
        if (cursor.Current == ',')
        {
            cursor.Position++;
            return false;
        }
        if (closer != '\0' && cursor.Current == closer)
        {
            cursor.Position++;
            return true;
        }
        var expected = closer == '\0' ? "','" : $"',' or '{closer}'";
        throw new CommandLineSyntaxException($"expected {expected} at column {cursor.Position + 1}, found '{cursor.Current}'");
    }

    private static void ReadItem(LineCursor cursor, TokenBuffer token, char closer)
    {
        if (QuotedString.StartsAt(cursor))
        {
            QuotedString.Read(cursor, token);
            if (!cursor.AtEnd && !cursor.AtBlank && cursor.Current != ',' && cursor.Current != closer)
            {
                throw new CommandLineSyntaxException($"unexpected '{cursor.Current}' after a closing quote at column {cursor.Position + 1}");
            }
            return;
        }
        if (cursor.Current == '[' && !cursor.AtEnd)
        {
            ReadArray(cursor, token);
            return;
        }
        ReadBareWord(cursor, token);
    }

    private static void ReadBareWord(LineCursor cursor, TokenBuffer token)
    {
        var start = cursor.Position;
        while (!cursor.AtEnd && !cursor.AtBlank && cursor.Current is not (',' or ')' or ']') && !QuotedString.StartsAt(cursor))
        {
            cursor.TakeLiteral(token);
        }
        if (cursor.Position == start)
        {
            var what = cursor.AtEnd ? "the end of the line" : $"'{cursor.Current}'";
            throw new CommandLineSyntaxException($"missing argument before {what} at column {cursor.Position + 1}");
        }
    }

    /// <summary>Reads <c>[ ... ]</c> and writes it to <paramref name="token"/> as JSON text.</summary>
    private static void ReadArray(LineCursor cursor, TokenBuffer token)
    {
        var items = new List<byte[]>();
        var isJsonText = new List<bool>();
        cursor.Position++;
        cursor.SkipBlanks();
        if (cursor.AtEnd || cursor.Current != ']')
        {
            while (true)
            {
                cursor.SkipBlanks();
                var kind = cursor.Current;
                var element = new TokenBuffer();
                ReadItem(cursor, element, ']');
                var bytes = element.Take();
                isJsonText.Add(kind == '[' || (kind is not ('"' or '\'') && IsJsonLiteral(bytes)));
                items.Add(bytes);
                if (AtListEnd(cursor, ']'))
                {
                    break;
                }
            }
        }
        else
        {
            cursor.Position++;
        }
        token.AppendByte((byte)'[');
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                token.AppendByte((byte)',');
            }
            if (isJsonText[i])
            {
                token.AppendBytes(items[i]);
            }
            else
            {
                JsonString.Write(token.Writer, items[i]);
            }
        }
        token.AppendByte((byte)']');
    }

    private static bool IsJsonLiteral(ReadOnlySpan<byte> word) =>
        word.SequenceEqual("true"u8) || word.SequenceEqual("false"u8) || word.SequenceEqual("null"u8) || JsonNumber().IsMatch(System.Text.Encoding.UTF8.GetString(word));

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex JsonNumber();
}
