using System.Numerics;
using System.Text;

namespace Dst.Commands.Strings;

/// <summary>
/// C's <c>long double</c> on x86-64 Linux (x87 extended precision: a 64-bit significand), emulated exactly,
/// because Redis computes INCRBYFLOAT and HINCRBYFLOAT in it and replies with <c>%.17Lf</c>: 0.1 + 0.2 is
/// "0.3" there, where a double would give 0.30000000000000004, and 12345678.1 + 0.1 is
/// "12345678.2000000000007276". Only what those two commands need: parsing (<c>string2ld</c>), one
/// addition, and Redis's "human" text (<c>ld2string</c> with <c>LD_STR_HUMAN</c>).
/// </summary>
internal readonly struct LongDouble
{
    /// <summary>Longest text Redis's <c>string2ld</c> accepts (MAX_LONG_DOUBLE_CHARS).</summary>
    private const int MaxTextLength = 5 * 1024;

    /// <summary>Digits after the point in <c>%.17Lf</c>.</summary>
    private const int FractionDigits = 17;

    private static readonly BigInteger FractionScale = BigInteger.Pow(10, FractionDigits);

    private readonly BinaryFloatText.Parsed _value;

    private LongDouble(BinaryFloatText.Parsed value) => _value = value;

    /// <summary>Infinite or not a number: what INCRBYFLOAT refuses to store.</summary>
    public bool IsFiniteNumber => _value.Kind == BinaryFloatText.FloatKind.Finite;

    /// <summary>
    /// Redis's <c>string2ld</c>: the whole text is a number <c>strtold</c> reads (hexadecimal and
    /// <c>inf</c> included), with no leading space, not NaN, neither overflowing nor underflowing to zero.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out LongDouble value)
    {
        value = default;
        if (text.Length is 0 or >= MaxTextLength || char.IsWhiteSpace((char)text[0])
            || !BinaryFloatText.TryParse(text, BinaryFloatText.Extended, out var parsed)
            || parsed.Kind is BinaryFloatText.FloatKind.NaN or BinaryFloatText.FloatKind.Overflow or BinaryFloatText.FloatKind.Underflow)
        {
            return false;
        }
        value = new LongDouble(parsed);
        return true;
    }

    /// <summary>The sum rounded half to even to 64 bits, as the x87 unit adds; infinity past the range, NaN for inf + -inf.</summary>
    public static LongDouble operator +(LongDouble left, LongDouble right)
    {
        var (a, b) = (left._value, right._value);
        if (a.Kind == BinaryFloatText.FloatKind.Infinity || b.Kind == BinaryFloatText.FloatKind.Infinity)
        {
            var nan = a.Kind == b.Kind && a.Negative != b.Negative;
            return new LongDouble(new BinaryFloatText.Parsed(a.Kind == BinaryFloatText.FloatKind.Infinity ? a.Negative : b.Negative, 0, 0,
                nan ? BinaryFloatText.FloatKind.NaN : BinaryFloatText.FloatKind.Infinity));
        }
        if (a.Significand == 0 || b.Significand == 0)
        {
            // x + 0 is x; the two zeros add to -0 only when both are negative.
            return a.Significand != 0 ? left : b.Significand != 0 ? right
                : new LongDouble(new BinaryFloatText.Parsed(a.Negative && b.Negative, 0, 0, BinaryFloatText.FloatKind.Finite));
        }
        // Exact sum over the lower exponent; an operand more than 128 bits below the other cannot change its rounding.
        if (Math.Abs(a.Exponent - b.Exponent) > 128)
        {
            return a.Exponent > b.Exponent ? left : right;
        }
        var low = Math.Min(a.Exponent, b.Exponent);
        var sum = Signed(a) << (a.Exponent - low);
        sum += Signed(b) << (b.Exponent - low);
        if (sum.IsZero)
        {
            return new LongDouble(new BinaryFloatText.Parsed(false, 0, 0, BinaryFloatText.FloatKind.Finite));
        }
        var rounded = BinaryFloatText.Round(sum.Sign < 0, BigInteger.Abs(sum), BigInteger.One, low, BinaryFloatText.Extended);
        return new LongDouble(rounded.Kind == BinaryFloatText.FloatKind.Overflow ? rounded with { Kind = BinaryFloatText.FloatKind.Infinity } : rounded);
    }

    private static BigInteger Signed(BinaryFloatText.Parsed value) => value.Negative ? -new BigInteger(value.Significand) : new BigInteger(value.Significand);

    /// <summary>
    /// Redis's <c>ld2string(..., LD_STR_HUMAN)</c> of a finite value, as the ASCII bytes stored and replied:
    /// <c>%.17Lf</c> (the exact binary value rounded half to even to 17 decimals), trailing zeros and a bare
    /// point removed, "-0" written "0".
    /// </summary>
    public byte[] ToHumanText()
    {
        if (!IsFiniteNumber)
        {
            throw new InvalidOperationException("only a finite value has a human text");
        }
        var v = _value;
        // value × 10^17 = significand × 10^17 × 2^exponent, rounded to an integer.
        var scaled = new BigInteger(v.Significand) * FractionScale;
        if (v.Exponent >= 0)
        {
            scaled <<= v.Exponent;
        }
        else
        {
            var divisor = BigInteger.One << -v.Exponent;
            var quotient = BigInteger.DivRem(scaled, divisor, out var remainder);
            var twice = remainder << 1;
            scaled = twice > divisor || (twice == divisor && !quotient.IsEven) ? quotient + 1 : quotient;
        }
        var integer = BigInteger.DivRem(scaled, FractionScale, out var fraction);
        var text = new StringBuilder();
        if (v.Negative)
        {
            text.Append('-');
        }
        text.Append(integer.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var decimals = fraction.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(FractionDigits, '0').TrimEnd('0');
        if (decimals.Length > 0)
        {
            text.Append('.').Append(decimals);
        }
        return text.Length == 2 && text[0] == '-' && text[1] == '0' ? "0"u8.ToArray() : Encoding.ASCII.GetBytes(text.ToString());
    }
}
