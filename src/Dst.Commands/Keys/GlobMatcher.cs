namespace Dst.Commands.Keys;

/// <summary>
/// Redis's glob matching (<c>stringmatchlen</c> in util.c): <c>*</c>, <c>?</c>, <c>[abc]</c>,
/// <c>[^a]</c>, <c>[a-z]</c> and <c>\</c> escapes. Like Redis it stops recursing past 1000 nested
/// stars and, once the rest of a pattern failed after a star, does not retry earlier stars with
/// longer matches, so hostile patterns such as <c>a*a*a*a*...b</c> stay linear-ish instead of exponential.
/// </summary>
public static class GlobMatcher
{
    private const int MaxNesting = 1000;

    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool ignoreCase = false)
    {
        var skipLongerMatches = false;
        return Match(pattern, text, ignoreCase, ref skipLongerMatches, 0);
    }

    /// <summary>True when the pattern matches every string (KEYS * and SCAN MATCH * skip matching).</summary>
    public static bool MatchesEverything(ReadOnlySpan<byte> pattern) => pattern.Length > 0 && !pattern.ContainsAnyExcept((byte)'*');

    private static bool Match(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool ignoreCase, ref bool skipLongerMatches, int nesting)
    {
        if (nesting > MaxNesting)
        {
            return false;
        }
        while (pattern.Length > 0 && text.Length > 0)
        {
            switch (pattern[0])
            {
                case (byte)'*':
                    while (pattern.Length > 1 && pattern[1] == (byte)'*')
                    {
                        pattern = pattern[1..];
                    }
                    if (pattern.Length == 1)
                    {
                        return true;
                    }
                    while (text.Length > 0)
                    {
                        if (Match(pattern[1..], text, ignoreCase, ref skipLongerMatches, nesting + 1))
                        {
                            return true;
                        }
                        if (skipLongerMatches)
                        {
                            return false;
                        }
                        text = text[1..];
                    }
                    // The rest matched nowhere in the remaining text; a longer match for an earlier
                    // star would only start the rest later, so no earlier star can succeed either.
                    skipLongerMatches = true;
                    return false;
                case (byte)'?':
                    text = text[1..];
                    break;
                case (byte)'[':
                    if (!MatchClass(ref pattern, text[0], ignoreCase))
                    {
                        return false;
                    }
                    text = text[1..];
                    break;
                default:
                    if (pattern[0] == (byte)'\\' && pattern.Length >= 2)
                    {
                        pattern = pattern[1..];
                    }
                    if (!SameByte(pattern[0], text[0], ignoreCase))
                    {
                        return false;
                    }
                    text = text[1..];
                    break;
            }
            pattern = pattern[1..];
            if (text.Length == 0)
            {
                while (pattern.Length > 0 && pattern[0] == (byte)'*')
                {
                    pattern = pattern[1..];
                }
                break;
            }
        }
        return pattern.Length == 0 && text.Length == 0;
    }

    /// <summary>
    /// Matches one byte against the class starting at <c>pattern[0] == '['</c> and leaves
    /// <paramref name="pattern"/> on the closing <c>]</c> (or on the last byte when it is unterminated).
    /// </summary>
    private static bool MatchClass(ref ReadOnlySpan<byte> pattern, byte c, bool ignoreCase)
    {
        pattern = pattern[1..];
        var negate = pattern.Length > 0 && pattern[0] == (byte)'^';
        if (negate)
        {
            pattern = pattern[1..];
        }
        var matched = false;
        while (true)
        {
            if (pattern.Length == 0)
            {
                // Unterminated class: Redis steps back so the caller's advance ends the pattern.
                pattern = " "u8;
                break;
            }
            if (pattern[0] == (byte)'\\' && pattern.Length >= 2)
            {
                pattern = pattern[1..];
                matched |= pattern[0] == c;
            }
            else if (pattern[0] == (byte)']')
            {
                break;
            }
            else if (pattern.Length >= 3 && pattern[1] == (byte)'-')
            {
                int start = pattern[0], end = pattern[2], value = c;
                if (start > end)
                {
                    (start, end) = (end, start);
                }
                if (ignoreCase)
                {
                    (start, end, value) = (Lower(start), Lower(end), Lower(value));
                }
                pattern = pattern[2..];
                matched |= value >= start && value <= end;
            }
            else
            {
                matched |= SameByte(pattern[0], c, ignoreCase);
            }
            pattern = pattern[1..];
        }
        return negate ? !matched : matched;
    }

    private static bool SameByte(byte a, byte b, bool ignoreCase) => a == b || (ignoreCase && Lower(a) == Lower(b));

    private static int Lower(int c) => c is >= 'A' and <= 'Z' ? c | 0x20 : c;
}
