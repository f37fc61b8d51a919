using System.Globalization;
using System.Text;

namespace Dst.Commands.Strings;

/// <summary>
/// Redis's rules for a double argument (scores, weights, timeouts): the whole text a number <c>strtod</c> reads,
/// hexadecimal included. INCRBYFLOAT and HINCRBYFLOAT compute in <see cref="LongDouble"/> instead.
/// </summary>
internal static class FloatText
{
    /// <summary>Longest text Redis's <c>string2ld</c> accepts (MAX_LONG_DOUBLE_CHARS).</summary>
    private const int MaxLength = 5 * 1024;

    /// <summary>
    /// Like Redis's <c>getDoubleFromObject</c>: no surrounding spaces, no trailing garbage, no NaN, no
    /// overflow to infinity or underflow to zero; an explicit "inf"/"infinity" is a valid (infinite) value.
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
        if (unsigned.Length > 2 && unsigned[0] == (byte)'0' && (unsigned[1] | 0x20) == (byte)'x')
        {
            // Hexadecimal, which strtod reads too ("0x1.8p3" is 12); rare enough to go the exact, slow way.
            if (!BinaryFloatText.TryParse(text, BinaryFloatText.Double, out var parsed) || parsed.Kind != BinaryFloatText.FloatKind.Finite)
            {
                return false;
            }
            value = Math.ScaleB(parsed.Negative ? -(double)parsed.Significand : parsed.Significand, parsed.Exponent);
            return true;
        }
        const NumberStyles style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        // strtod's ERANGE: Redis refuses a value too large, and a non-zero one too small, for a double.
        return double.TryParse(text, style, CultureInfo.InvariantCulture, out value) && double.IsFinite(value)
            && (value != 0 || !HasNonZeroDigit(unsigned));
    }

    /// <summary>Whether the significand (the text before any exponent) has a digit other than 0.</summary>
    private static bool HasNonZeroDigit(ReadOnlySpan<byte> number)
    {
        foreach (var c in number)
        {
            if ((c | 0x20) == (byte)'e')
            {
                return false;
            }
            if (c is >= (byte)'1' and <= (byte)'9')
            {
                return true;
            }
        }
        return false;
    }
}
