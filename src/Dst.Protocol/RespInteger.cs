namespace Dst.Protocol;

/// <summary>
/// Strict decimal integers as they appear in RESP headers, with Redis's <c>string2ll</c> rules:
/// an optional '-', no '+', no leading zeros, no spaces, and no overflow.
/// </summary>
public static class RespInteger
{
    /// <summary>Longest valid text: "-9223372036854775808".</summary>
    public const int MaxLength = 20;

    public static bool TryParse(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > MaxLength)
        {
            return false;
        }
        if (text.Length == 1 && text[0] == (byte)'0')
        {
            return true;
        }
        var negative = text[0] == (byte)'-';
        var digits = negative ? text[1..] : text;
        if (digits.IsEmpty || digits[0] is < (byte)'1' or > (byte)'9')
        {
            return false;
        }
        // Accumulate as a negative number so long.MinValue fits.
        long accumulated = 0;
        foreach (var b in digits)
        {
            var digit = b - (byte)'0';
            if ((uint)digit > 9 || accumulated < (long.MinValue + digit) / 10)
            {
                return false;
            }
            accumulated = accumulated * 10 - digit;
        }
        if (!negative)
        {
            if (accumulated == long.MinValue)
            {
                return false;
            }
            accumulated = -accumulated;
        }
        value = accumulated;
        return true;
    }
}
