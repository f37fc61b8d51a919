using Dst.Commands.Storage;

namespace Dst.Commands.Lists;

/// <summary>
/// Redis's <c>getRangeLongFromObjectOrReply</c>: an integer argument within bounds. With a message,
/// that message is the error both for text that is no integer and for a value out of bounds, as in Redis.
/// </summary>
internal static class RangeArgument
{
    public const string MustBePositive = "ERR value is out of range, must be positive";

    public static bool TryParse(CommandContext context, ReadOnlySpan<byte> text, long min, long max, string? message, out long value)
    {
        if (!Integers.TryParse(text, out value))
        {
            context.Reply.WriteError(message ?? CommandErrors.NotInteger);
            return false;
        }
        if (value < min || value > max)
        {
            context.Reply.WriteError(message ?? $"ERR value is out of range, value must between {min} and {max}");
            return false;
        }
        return true;
    }

    /// <summary>A count that must be 0 or more (LPOP, ZPOPMIN, ...).</summary>
    public static bool TryParseCount(CommandContext context, ReadOnlySpan<byte> text, out long value) =>
        TryParse(context, text, 0, long.MaxValue, MustBePositive, out value);
}
