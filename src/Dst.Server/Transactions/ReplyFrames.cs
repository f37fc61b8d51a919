namespace Dst.Server.Transactions;

/// <summary>
/// Measures one complete RESP2/RESP3 value at the start of a reply the server itself wrote, so EXEC
/// can take the state machine's array apart element by element. The input is trusted (our own
/// writer's output); a truncated or unknown frame throws instead of guessing.
/// </summary>
public static class ReplyFrames
{
    /// <summary>The length in bytes of the first value in <paramref name="reply"/>.</summary>
    public static int Measure(ReadOnlySpan<byte> reply)
    {
        var lineEnd = LineEnd(reply);
        var next = lineEnd + 2;
        switch (reply[0])
        {
            case (byte)'+' or (byte)'-' or (byte)':' or (byte)'_' or (byte)',' or (byte)'#' or (byte)'(':
                return next;
            case (byte)'$' or (byte)'=' or (byte)'!':
                var length = Count(reply[1..lineEnd]);
                return length < 0 ? next : next + (int)length + 2;
            case (byte)'*' or (byte)'~' or (byte)'>':
                return next + Elements(reply[next..], Count(reply[1..lineEnd]));
            case (byte)'%':
                return next + Elements(reply[next..], 2 * Count(reply[1..lineEnd]));
            case (byte)'|':
                // An attribute map decorates the value that follows it.
                next += Elements(reply[next..], 2 * Count(reply[1..lineEnd]));
                return next + Measure(reply[next..]);
            default:
                throw new FormatException($"not a RESP value: type byte 0x{reply[0]:x2}");
        }
    }

    /// <summary>The offset just past an aggregate's header line (<c>*3\r\n</c>).</summary>
    public static int HeaderLength(ReadOnlySpan<byte> reply) => LineEnd(reply) + 2;

    private static int Elements(ReadOnlySpan<byte> items, long count)
    {
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            offset += Measure(items[offset..]);
        }
        return offset;
    }

    private static int LineEnd(ReadOnlySpan<byte> reply)
    {
        var end = reply.IndexOf("\r\n"u8);
        return end > 0 ? end : throw new FormatException("RESP value without its line end");
    }

    private static long Count(ReadOnlySpan<byte> digits) =>
        long.TryParse(digits, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException("RESP length is not a number");
}
