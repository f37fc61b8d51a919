using System.Globalization;
using System.Text;

namespace Dst.Server.Options;

/// <summary>
/// Splits one config-file line into words the way redis.conf is read (Redis's sdssplitargs):
/// words separated by blanks; "double quotes" with \n \r \t \b \a \\ \" and \xHH escapes;
/// 'single quotes' with only \' as an escape. A closing quote must be followed by a blank.
/// </summary>
public static class ConfigLineSplitter
{
    public static bool TrySplit(string line, out List<string> words, out string? error)
    {
        words = [];
        error = null;
        var i = 0;
        while (true)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i]))
            {
                i++;
            }
            if (i == line.Length)
            {
                return true;
            }
            var word = new StringBuilder();
            var quote = line[i] is '"' or '\'' ? line[i++] : '\0';
            var closed = quote == '\0';
            while (i < line.Length)
            {
                var c = line[i];
                if (quote == '\0')
                {
                    if (char.IsWhiteSpace(c))
                    {
                        break;
                    }
                    word.Append(c);
                    i++;
                    continue;
                }
                if (c == quote)
                {
                    i++;
                    closed = true;
                    if (i < line.Length && !char.IsWhiteSpace(line[i]))
                    {
                        error = "closing quote must be followed by a space";
                        return false;
                    }
                    break;
                }
                if (c == '\\' && i + 1 < line.Length)
                {
                    i += AppendEscape(line, i, quote, word);
                    continue;
                }
                word.Append(c);
                i++;
            }
            if (!closed)
            {
                error = "unbalanced quotes";
                return false;
            }
            words.Add(word.ToString());
        }
    }

    /// <summary>Appends the character escaped at <paramref name="i"/> (a backslash) and returns how many characters it used.</summary>
    private static int AppendEscape(string line, int i, char quote, StringBuilder word)
    {
        var next = line[i + 1];
        if (quote == '\'')
        {
            word.Append(next == '\'' ? '\'' : '\\');
            return next == '\'' ? 2 : 1;
        }
        if (next == 'x' && i + 3 < line.Length
            && byte.TryParse(line.AsSpan(i + 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
        {
            word.Append((char)code);
            return 4;
        }
        word.Append(next switch
        {
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'b' => '\b',
            'a' => '\a',
            _ => next,
        });
        return 2;
    }
}
