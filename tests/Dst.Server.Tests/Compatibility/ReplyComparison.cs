using System.Globalization;

namespace Dst.Server.Tests.Compatibility;

/// <summary>When two replies to a command count as the same.</summary>
internal static class ReplyComparison
{
    private static readonly HashSet<string> Unordered = ["SMEMBERS", "SINTER", "SUNION", "SDIFF", "HKEYS", "HVALS"];

    private static readonly HashSet<string> TimeLeft = ["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"];

    /// <summary>The sorted set a lexicographic range command reads, or null for any other command.</summary>
    public static byte[]? LexRangeKey(Command command)
    {
        var byLex = command.Text.Any(word => word.Equals("BYLEX", StringComparison.OrdinalIgnoreCase));
        return command.Name switch
        {
            "ZRANGEBYLEX" or "ZREVRANGEBYLEX" or "ZLEXCOUNT" or "ZREMRANGEBYLEX" when command.Args.Length > 1 => command.Args[1],
            "ZRANGE" when byLex && command.Args.Length > 1 => command.Args[1],
            "ZRANGESTORE" when byLex && command.Args.Length > 2 => command.Args[2],
            _ => null,
        };
    }

    /// <summary>EXPIRE/PEXPIRE with GT or LT: the key and the new time to live in milliseconds; null for anything else.</summary>
    public static (byte[] Key, long Milliseconds)? ComparedExpiry(Command command)
    {
        if (command.Name is not ("EXPIRE" or "PEXPIRE") || command.Args.Length < 4
            || !command.Text.Skip(2).Any(word => word.Equals("GT", StringComparison.OrdinalIgnoreCase) || word.Equals("LT", StringComparison.OrdinalIgnoreCase))
            || !long.TryParse(command.Text[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount)
            || amount is < -1_000_000_000_000 or > 1_000_000_000_000)
        {
            return null;
        }
        return (command.Args[1], command.Name == "EXPIRE" ? amount * 1000 : amount);
    }

    public static bool Same(Command command, Reply redis, Reply dst) => Canonical(command, redis) == Canonical(command, dst);

    private static string Canonical(Command command, Reply reply)
    {
        if (reply.Kind == '*' && reply.Items is { } items)
        {
            if (Unordered.Contains(command.Name))
            {
                return $"unordered [{string.Join(", ", items.Select(item => item.ToString()).Order(StringComparer.Ordinal))}]";
            }
            if (command.Name == "HGETALL")
            {
                var pairs = items.Chunk(2).Select(pair => string.Join(" => ", pair.Select(item => item.ToString())));
                return $"unordered pairs [{string.Join(", ", pairs.Order(StringComparer.Ordinal))}]";
            }
        }
        if (reply.Kind == ':' && TimeLeft.Contains(command.Name) && reply.Integer >= 0)
        {
            return "(integer) some time";
        }
        return reply.ToString();
    }
}
