namespace Dst.Commands.Lists;

/// <summary>
/// The timeout argument of the blocking commands (BLPOP, BLMOVE, BZPOPMIN, ...): seconds as a
/// float, 0 = forever. Handlers validate it; the server calls <see cref="TryParse"/> too, to know
/// how long to park a client.
/// </summary>
public static class BlockingTimeout
{
    public const string NotAFloat = "ERR timeout is not a float or out of range";
    public const string Negative = "ERR timeout is negative";
    public const string OutOfRange = "ERR timeout is out of range";

    /// <summary>Parses the timeout into whole milliseconds (rounded up, as Redis does); 0 means no timeout.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out long milliseconds, out string? error)
    {
        milliseconds = 0;
        error = null;
        if (!Strings.FloatText.TryParse(text, out var seconds) || double.IsNaN(seconds))
        {
            error = NotAFloat;
            return false;
        }
        if (seconds < 0)
        {
            error = Negative;
            return false;
        }
        var scaled = Math.Ceiling(seconds * 1000);
        if (scaled >= long.MaxValue / 2)
        {
            error = OutOfRange;
            return false;
        }
        milliseconds = (long)scaled;
        return true;
    }

    internal static bool TryValidate(CommandContext context, ReadOnlySpan<byte> text)
    {
        if (TryParse(text, out _, out var error))
        {
            return true;
        }
        context.Reply.WriteError(error!);
        return false;
    }
}
