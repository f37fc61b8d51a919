namespace Dst.Commands.Storage;

/// <summary>Redis's <c>string2ll</c>: strict decimal longs, no sign '+', no leading zeros, no spaces, no "-0".</summary>
public static class Integers
{
    public static bool TryParse(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.Length is 0 or > 20)
        {
            return false;
        }
        if (text.Length == 1 && text[0] == (byte)'0')
        {
            return true;
        }
        var negative = text[0] == (byte)'-';
        var digits = negative ? text[1..] : text;
        if (digits.Length == 0 || digits[0] is < (byte)'1' or > (byte)'9')
        {
            return false;
        }
        ulong magnitude = 0;
        foreach (var b in digits)
        {
            var digit = (uint)(b - '0');
            if (digit > 9 || magnitude > (ulong.MaxValue - digit) / 10)
            {
                return false;
            }
            magnitude = (magnitude * 10) + digit;
        }
        if (negative)
        {
            if (magnitude > (ulong)long.MaxValue + 1)
            {
                return false;
            }
            value = (long)(0 - magnitude);
            return true;
        }
        if (magnitude > long.MaxValue)
        {
            return false;
        }
        value = (long)magnitude;
        return true;
    }

    public static int DigitCount(long value)
    {
        var count = value < 0 ? 2 : 1;
        var magnitude = value < 0 ? (ulong)(-(value + 1)) + 1 : (ulong)value;
        while (magnitude >= 10)
        {
            magnitude /= 10;
            count++;
        }
        return count;
    }
}
