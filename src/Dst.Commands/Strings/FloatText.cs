using System.Globalization;
using System.Text;

namespace Dst.Commands.Strings;

/// <summary>Redis's float text rules for INCRBYFLOAT: strict parsing and "human" formatting without exponents.</summary>
internal static class FloatText
{
    /// <summary>Longest text Redis's <c>string2ld</c> accepts (MAX_LONG_DOUBLE_CHARS).</summary>
    private const int MaxLength = 5 * 1024;

    /// <summary>
    /// Like <c>string2ld</c>: no surrounding spaces, no trailing garbage, no NaN, no overflow to
    /// infinity; an explicit "inf"/"infinity" is a valid (infinite) value.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        if (text.Length is 0 or >= MaxLength)
        {
            return false;
        }
        var unsigned = text[0] is (byte)'+' or (byte)'-' ? text[1..] : text;
        if (Ascii.EqualsIgnoreCase(unsigned, "inf"u8) || Ascii.EqualsIgnoreCase(unsigned, "infinity"u8))
        {
            value = text[0] == (byte)'-' ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        if (unsigned.Length == 0 || !(char.IsAsciiDigit((char)unsigned[0]) || unsigned[0] == (byte)'.'))
        {
            return false;
        }
        const NumberStyles style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        return double.TryParse(text, style, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>
    /// The shortest text that reads back to <paramref name="value"/>, written out in plain decimal
    /// (Redis's LD_STR_HUMAN never uses an exponent). Returns the bytes written (at most 400).
    /// </summary>
    public static int Format(double value, Span<byte> destination)
    {
        Span<char> shortest = stackalloc char[32];
        value.TryFormat(shortest, out var length, "R", CultureInfo.InvariantCulture);
        var text = shortest[..length];
        var exponentAt = text.IndexOfAny('E', 'e');
        if (exponentAt < 0)
        {
            return Encoding.ASCII.GetBytes(text, destination);
        }
        var exponent = int.Parse(text[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = text[..exponentAt];
        var written = 0;
        if (mantissa[0] == '-')
        {
            destination[written++] = (byte)'-';
            mantissa = mantissa[1..];
        }
        // Digits without the point; the point sits after `pointAt` digits.
        Span<char> digits = stackalloc char[24];
        var digitCount = 0;
        var pointAt = mantissa.Length;
        foreach (var c in mantissa)
        {
            if (c == '.')
            {
                pointAt = digitCount;
            }
            else
            {
                digits[digitCount++] = c;
            }
        }
        pointAt += exponent;
        if (pointAt <= 0)
        {
            destination[written++] = (byte)'0';
            destination[written++] = (byte)'.';
            for (var i = 0; i < -pointAt; i++)
            {
                destination[written++] = (byte)'0';
            }
            for (var i = 0; i < digitCount; i++)
            {
                destination[written++] = (byte)digits[i];
            }
            return written;
        }
        for (var i = 0; i < Math.Max(pointAt, digitCount); i++)
        {
            if (i == pointAt)
            {
                destination[written++] = (byte)'.';
            }
            destination[written++] = i < digitCount ? (byte)digits[i] : (byte)'0';
        }
        return written;
    }
}
