namespace Dst.Cli.Parsing;

/// <summary>
/// The redis-cli form, <c>str.put "k1" "v1"</c>: a port of Redis's <c>sdssplitargs</c>. Words are
/// separated by blanks; a quote anywhere in a word opens a quoted section; a closing quote must be
/// followed by a blank or the end of the line. Brackets, parentheses and commas are ordinary
/// characters here, so every line redis-cli accepts means the same thing (<c>ZRANGEBYLEX k [a (c</c>).
/// </summary>
internal static class RedisWordSplitter
{
    public static List<byte[]> Split(LineCursor cursor, TokenBuffer token)
    {
        var words = new List<byte[]>();
        while (true)
        {
            cursor.SkipBlanks();
            if (cursor.AtEnd)
            {
                return words;
            }
            while (!cursor.AtEnd && !cursor.AtBlank)
            {
                if (QuotedString.StartsAt(cursor))
                {
                    QuotedString.Read(cursor, token);
                    if (!cursor.AtEnd && !cursor.AtBlank)
                    {
                        throw new CommandLineSyntaxException();
                    }
                }
                else
                {
                    cursor.TakeLiteral(token);
                }
            }
            words.Add(token.Take());
        }
    }
}
