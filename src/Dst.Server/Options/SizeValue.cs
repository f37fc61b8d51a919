using System.Globalization;

namespace Dst.Server.Options;

/// <summary>
/// Sizes written the way redis.conf writes them: a whole number with an optional unit, where
/// k/m/g are powers of 1000 and kb/mb/gb powers of 1024 (case-insensitive; "b" means bytes).
/// </summary>
public static class SizeValue
{
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var span = text.AsSpan().Trim();
        var unitStart = span.Length;
        while (unitStart > 0 && char.IsAsciiLetter(span[unitStart - 1]))
        {
            unitStart--;
        }
        if (!TryGetMultiplier(span[unitStart..], out var multiplier)
            || !long.TryParse(span[..unitStart], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }
        try
        {
            bytes = checked(number * multiplier);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>Formats bytes the way CONFIG GET shows sizes: plain bytes, as Redis does.</summary>
    public static string Format(long bytes) => bytes.ToString(CultureInfo.InvariantCulture);

    private static bool TryGetMultiplier(ReadOnlySpan<char> unit, out long multiplier)
    {
        multiplier = unit.ToString().ToLowerInvariant() switch
        {
            "" or "b" => 1,
            "k" => 1000,
            "kb" => 1024,
            "m" => 1000 * 1000,
            "mb" => 1024 * 1024,
            "g" => 1000L * 1000 * 1000,
            "gb" => 1024L * 1024 * 1024,
            _ => 0,
        };
        return multiplier != 0;
    }
}
