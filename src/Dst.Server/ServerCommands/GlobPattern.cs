namespace Dst.Server.ServerCommands;

/// <summary>
/// Redis's glob matching (stringmatchlen): <c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[^a-z]</c> and
/// backslash escapes. CONFIG GET matches names case-insensitively.
/// </summary>
public static class GlobPattern
{
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text, bool ignoreCase)
    {
        while (pattern.Length > 0)
        {
            switch (pattern[0])
            {
                case '*':
                    while (pattern.Length > 1 && pattern[1] == '*')
                    {
                        pattern = pattern[1..];
                    }
                    if (pattern.Length == 1)
                    {
                        return true;
                    }
                    for (var i = 0; i <= text.Length; i++)
                    {
                        if (IsMatch(pattern[1..], text[i..], ignoreCase))
                        {
                            return true;
                        }
                    }
                    return false;
                case '?':
                    if (text.Length == 0)
                    {
                        return false;
                    }
                    text = text[1..];
                    pattern = pattern[1..];
                    continue;
                case '[':
                    if (text.Length == 0 || !MatchClass(ref pattern, text[0], ignoreCase))
                    {
                        return false;
                    }
                    text = text[1..];
                    continue;
                case '\\' when pattern.Length >= 2:
                    pattern = pattern[1..];
                    goto default;
                default:
                    if (text.Length == 0 || !Same(pattern[0], text[0], ignoreCase))
                    {
                        return false;
                    }
                    text = text[1..];
                    pattern = pattern[1..];
                    continue;
            }
        }
        return text.Length == 0;
    }

    /// <summary>Matches one character against a [...] class and moves the pattern past it.</summary>
    private static bool MatchClass(ref ReadOnlySpan<char> pattern, char c, bool ignoreCase)
    {
        pattern = pattern[1..];
        var negate = pattern.Length > 0 && pattern[0] == '^';
        if (negate)
        {
            pattern = pattern[1..];
        }
        var matched = false;
        while (pattern.Length > 0 && pattern[0] != ']')
        {
            if (pattern[0] == '\\' && pattern.Length >= 2)
            {
                matched |= Same(pattern[1], c, ignoreCase);
                pattern = pattern[2..];
            }
            else if (pattern.Length >= 3 && pattern[1] == '-' && pattern[2] != ']')
            {
                var (low, high) = pattern[0] <= pattern[2] ? (pattern[0], pattern[2]) : (pattern[2], pattern[0]);
                var folded = ignoreCase ? char.ToLowerInvariant(c) : c;
                matched |= (c >= low && c <= high) || (ignoreCase && folded >= char.ToLowerInvariant(low) && folded <= char.ToLowerInvariant(high));
                pattern = pattern[3..];
            }
            else
            {
                matched |= Same(pattern[0], c, ignoreCase);
                pattern = pattern[1..];
            }
        }
        if (pattern.Length > 0)
        {
            pattern = pattern[1..];
        }
        return matched != negate;
    }

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToLowerInvariant(a) == char.ToLowerInvariant(b));
}
