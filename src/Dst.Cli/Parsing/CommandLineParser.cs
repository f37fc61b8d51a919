namespace Dst.Cli.Parsing;

/// <summary>
/// Splits a typed line into the arguments of one command. Three forms are accepted:
/// <list type="bullet">
/// <item>redis-cli's: <c>str.put "k1" "v1"</c>, split exactly as redis-cli splits (see <see cref="RedisWordSplitter"/>);</item>
/// <item>function call: <c>str.put("k1", "v1")</c>, a name glued to '(' and a comma-separated list closed by ')';</item>
/// <item>comma list: <c>task_table.add "00001", "22222", 3, ["1", "2"]</c>, chosen when the first argument
/// is followed by a comma and a blank, or is a quoted string or an array followed by a comma.</item>
/// </list>
/// The two list forms read items with <see cref="ArgumentListReader"/>; <c>[..]</c> arrays exist only there,
/// so <c>ZRANGEBYLEX k [a [c</c> keeps its redis-cli meaning.
/// </summary>
public static class CommandLineParser
{
    /// <summary>The arguments of <paramref name="line"/> (none for a blank line).</summary>
    /// <exception cref="CommandLineSyntaxException">Unbalanced quotes or brackets, or a malformed list.</exception>
    public static List<byte[]> Parse(string line)
    {
        var cursor = new LineCursor(line);
        var token = new TokenBuffer();
        cursor.SkipBlanks();
        if (TryReadCallName(cursor, token))
        {
            var arguments = new List<byte[]> { token.Take() };
            cursor.Position++;
            ArgumentListReader.ReadList(cursor, token, ')', arguments);
            cursor.SkipBlanks();
            if (!cursor.AtEnd)
            {
                throw new CommandLineSyntaxException($"unexpected text after ')' at column {cursor.Position + 1}");
            }
            return arguments;
        }
        if (TryReadListName(cursor, token))
        {
            var arguments = new List<byte[]> { token.Take() };
            ArgumentListReader.ReadList(cursor, token, '\0', arguments);
            return arguments;
        }
        cursor.Position = 0;
        return RedisWordSplitter.Split(cursor, new TokenBuffer());
    }

    /// <summary>A name glued to '(': leaves the cursor on the '(' and the name in <paramref name="token"/>.</summary>
    private static bool TryReadCallName(LineCursor cursor, TokenBuffer token)
    {
        var start = cursor.Position;
        while (!cursor.AtEnd && IsNameCharacter(cursor.Current))
        {
            cursor.TakeLiteral(token);
        }
        if (cursor.Position > start && !cursor.AtEnd && cursor.Current == '(')
        {
            return true;
        }
        cursor.Position = start;
        token.Take();
        return false;
    }

    /// <summary>A name, blanks, then a first argument followed by a comma: leaves the cursor on that argument.</summary>
    private static bool TryReadListName(LineCursor cursor, TokenBuffer token)
    {
        var start = cursor.Position;
        while (!cursor.AtEnd && IsNameCharacter(cursor.Current))
        {
            cursor.TakeLiteral(token);
        }
        if (cursor.Position > start && cursor.AtBlank)
        {
            cursor.SkipBlanks();
            if (!cursor.AtEnd && ArgumentListReader.StartsCommaList(cursor))
            {
                return true;
            }
        }
        cursor.Position = start;
        token.Take();
        return false;
    }

    private static bool IsNameCharacter(char c) => !LineCursor.IsBlank(c) && c is not ('(' or ')' or '"' or '\'' or ',' or '[' or ']');
}
