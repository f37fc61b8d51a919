using System.Numerics;
using System.Text;

namespace Dst.Commands.Strings;

/// <summary>
/// Reads floating-point text as C's <c>strtod</c>/<c>strtold</c> do in the C locale, rounded exactly (half to
/// even) to a binary format of a given precision: decimal (<c>1.5</c>, <c>.5</c>, <c>5.</c>, <c>1e-3</c>),
/// hexadecimal (<c>0x1.8p3</c>, <c>0x10</c>), <c>inf</c>/<c>infinity</c> and <c>nan</c>, any sign. Redis parses
/// scores with <c>strtod</c> and INCRBYFLOAT's operands with <c>strtold</c>; this is how dst reads what they read.
/// </summary>
internal static class BinaryFloatText
{
    /// <summary>A finite value is <c>±Significand × 2^Exponent</c>; the significand has at most the format's bits.</summary>
    public readonly record struct Parsed(bool Negative, ulong Significand, int Exponent, FloatKind Kind);

    public enum FloatKind
    {
        Finite,
        Infinity,
        NaN,
        /// <summary>Too large for the format (strtod's ERANGE with HUGE_VAL).</summary>
        Overflow,
        /// <summary>Not zero, but rounds to zero in the format (strtod's ERANGE with 0).</summary>
        Underflow,
    }

    /// <summary>A binary format: significand bits and the exponent range of the significand's last bit.</summary>
    public readonly record struct Format(int SignificandBits, int MinExponent, int MaxExponent);

    /// <summary>IEEE double: 53 bits, smallest subnormal 2^-1074, largest (2^53 - 1) × 2^971.</summary>
    public static readonly Format Double = new(53, -1074, 971);

    /// <summary>x87 extended precision (C's long double on x86-64): 64 bits, smallest subnormal 2^-16445, largest (2^64 - 1) × 2^16320.</summary>
    public static readonly Format Extended = new(64, -16445, 16320);

    // Past these decimal (or binary) exponents a non-zero value certainly overflows or underflows either format,
    // so no huge power is ever computed.
    private const int DecimalExponentLimit = 5100;
    private const int BinaryExponentLimit = 17000;

    /// <summary>
    /// Parses the whole of <paramref name="text"/>; false when it is not a number at all or has anything after
    /// the number (spaces included). Leading spaces, which <c>strtod</c> skips, are the caller's to refuse.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, Format format, out Parsed value)
    {
        value = default;
        var negative = text.Length > 0 && text[0] == (byte)'-';
        var rest = text.Length > 0 && text[0] is (byte)'-' or (byte)'+' ? text[1..] : text;
        if (Ascii.EqualsIgnoreCase(rest, "inf"u8) || Ascii.EqualsIgnoreCase(rest, "infinity"u8))
        {
            value = new Parsed(negative, 0, 0, FloatKind.Infinity);
            return true;
        }
        if (Ascii.EqualsIgnoreCase(rest, "nan"u8))
        {
            value = new Parsed(negative, 0, 0, FloatKind.NaN);
            return true;
        }
        var hex = rest.Length > 2 && rest[0] == (byte)'0' && (rest[1] | 0x20) == (byte)'x';
        BigInteger mantissa;
        var binaryExponent = 0;
        var decimalExponent = 0;
        if (!(hex ? TryReadHex(rest[2..], out mantissa, out binaryExponent) : TryReadDecimal(rest, out mantissa, out decimalExponent)))
        {
            return false;
        }
        if (mantissa.IsZero)
        {
            value = new Parsed(negative, 0, 0, FloatKind.Finite);
            return true;
        }
        var numerator = mantissa;
        var denominator = BigInteger.One;
        if (!hex)
        {
            // Magnitude in decimal digits (from the bit length, within one digit) decides the hopeless cases
            // before any power of ten is built; the limits leave room for the estimate.
            var magnitude = (long)decimalExponent + (long)(mantissa.GetBitLength() * Math.Log10(2)) + 1;
            if (magnitude > DecimalExponentLimit || magnitude < -DecimalExponentLimit)
            {
                value = new Parsed(negative, 0, 0, magnitude > 0 ? FloatKind.Overflow : FloatKind.Underflow);
                return true;
            }
            if (decimalExponent >= 0)
            {
                numerator *= BigInteger.Pow(10, decimalExponent);
            }
            else
            {
                denominator = BigInteger.Pow(10, -decimalExponent);
            }
        }
        else if (binaryExponent > BinaryExponentLimit || binaryExponent < -BinaryExponentLimit)
        {
            value = new Parsed(negative, 0, 0, binaryExponent > 0 ? FloatKind.Overflow : FloatKind.Underflow);
            return true;
        }
        value = Round(negative, numerator, denominator, binaryExponent, format);
        return true;
    }

    /// <summary>
    /// Rounds <c>numerator / denominator × 2^scale</c> (positive) half to even to <paramref name="format"/>,
    /// subnormals included.
    /// </summary>
    public static Parsed Round(bool negative, BigInteger numerator, BigInteger denominator, int scale, Format format)
    {
        var bits = format.SignificandBits;
        // The exponent of the last significand bit, first estimated from the bit lengths, then corrected by one.
        var exponent = (int)Math.Max(scale + (long)numerator.GetBitLength() - (long)denominator.GetBitLength() - bits, format.MinExponent);
        BigInteger quotient, remainder, divisor;
        while (true)
        {
            (quotient, remainder, divisor) = Divide(numerator, denominator, exponent - scale);
            var length = quotient.GetBitLength();
            if (length > bits)
            {
                exponent++;
            }
            else if (length < bits && exponent > format.MinExponent)
            {
                exponent--;
            }
            else
            {
                break;
            }
        }
        var twice = remainder << 1;
        if (twice > divisor || (twice == divisor && !quotient.IsEven))
        {
            quotient += 1;
            if (quotient.GetBitLength() > bits)
            {
                quotient >>= 1;
                exponent++;
            }
        }
        if (quotient.IsZero)
        {
            return new Parsed(negative, 0, 0, FloatKind.Underflow);
        }
        if (exponent > format.MaxExponent)
        {
            return new Parsed(negative, 0, 0, FloatKind.Overflow);
        }
        return new Parsed(negative, (ulong)quotient, exponent, FloatKind.Finite);
    }

    /// <summary><c>numerator / (denominator × 2^shift)</c>: quotient, remainder and the divisor the remainder is of.</summary>
    private static (BigInteger Quotient, BigInteger Remainder, BigInteger Divisor) Divide(BigInteger numerator, BigInteger denominator, int shift)
    {
        var top = shift < 0 ? numerator << -shift : numerator;
        var bottom = shift > 0 ? denominator << shift : denominator;
        var quotient = BigInteger.DivRem(top, bottom, out var remainder);
        return (quotient, remainder, bottom);
    }

    /// <summary>Digits, an optional point and more digits (one digit at least), then an optional <c>e</c> exponent.</summary>
    private static bool TryReadDecimal(ReadOnlySpan<byte> text, out BigInteger mantissa, out int decimalExponent)
    {
        var read = TryReadSignificand(text, radix: 10, (byte)'e', out mantissa, out var fractionDigits, out var exponent);
        decimalExponent = read ? Scale(exponent, fractionDigits, digitWeight: 1) : 0;
        return read;
    }

    /// <summary>Hex digits, an optional point and more hex digits (one digit at least), then an optional <c>p</c> exponent.</summary>
    private static bool TryReadHex(ReadOnlySpan<byte> text, out BigInteger mantissa, out int binaryExponent)
    {
        var read = TryReadSignificand(text, radix: 16, (byte)'p', out mantissa, out var fractionDigits, out var exponent);
        binaryExponent = read ? Scale(exponent, fractionDigits, digitWeight: 4) : 0;
        return read;
    }

    /// <summary>
    /// The digits of <paramref name="radix"/> with at most one point among them (one digit at least) as an
    /// integer, how many came after the point, and the exponent after <paramref name="exponentLetter"/> if any;
    /// false when anything else follows.
    /// </summary>
    private static bool TryReadSignificand(ReadOnlySpan<byte> text, int radix, byte exponentLetter, out BigInteger mantissa, out int fractionDigits, out int exponent)
    {
        mantissa = BigInteger.Zero;
        fractionDigits = 0;
        exponent = 0;
        var at = 0;
        var digits = 0;
        var seenPoint = false;
        for (; at < text.Length; at++)
        {
            var c = text[at];
            var digit = char.IsAsciiDigit((char)c) ? c - '0' : radix == 16 && char.IsAsciiHexDigit((char)c) ? (c | 0x20) - 'a' + 10 : -1;
            if (c == (byte)'.' && !seenPoint)
            {
                seenPoint = true;
            }
            else if (digit >= 0)
            {
                mantissa = (mantissa * radix) + digit;
                digits++;
                fractionDigits += seenPoint ? 1 : 0;
            }
            else
            {
                break;
            }
        }
        return digits > 0 && (at == text.Length || ((text[at] | 0x20) == exponentLetter && TryReadExponent(text[(at + 1)..], out exponent)));
    }

    /// <summary>The exponent of the significand read as an integer: the written one less the fraction's digits (each <paramref name="digitWeight"/>).</summary>
    private static int Scale(int exponent, int fractionDigits, int digitWeight) =>
        (int)Math.Clamp(exponent - ((long)digitWeight * fractionDigits), int.MinValue / 2, int.MaxValue / 2);

    /// <summary>An optionally signed run of digits to the end of the text, saturating far past any format's range.</summary>
    private static bool TryReadExponent(ReadOnlySpan<byte> text, out int exponent)
    {
        exponent = 0;
        var negative = text.Length > 0 && text[0] == (byte)'-';
        var digits = text.Length > 0 && text[0] is (byte)'-' or (byte)'+' ? text[1..] : text;
        if (digits.IsEmpty)
        {
            return false;
        }
        long value = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit((char)c))
            {
                return false;
            }
            value = Math.Min((value * 10) + (c - '0'), 1_000_000_000);
        }
        exponent = (int)(negative ? -value : value);
        return true;
    }
}
