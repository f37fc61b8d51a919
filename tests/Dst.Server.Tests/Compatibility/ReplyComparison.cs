using System.Globalization;

namespace Dst.Server.Tests.Compatibility;

/// <summary>When two replies to a command count as the same.</summary>
internal static class ReplyComparison
{
    private static readonly HashSet<string> Unordered = ["SMEMBERS", "SINTER", "SUNION", "SDIFF", "HKEYS", "HVALS"];

    private static readonly HashSet<string> Scans = ["SCAN", "HSCAN", "SSCAN", "ZSCAN"];

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

    /// <summary>
    /// Whether two replies to <paramref name="command"/> count as the same. For EXEC,
    /// <paramref name="executed"/> are the commands it ran (those that were QUEUED), whose replies in
    /// its array are compared as those commands' own replies would be.
    /// </summary>
    public static bool Same(Command command, Reply redis, Reply dst, IReadOnlyList<Command>? executed = null) =>
        Canonical(command, redis, executed) == Canonical(command, dst, executed);

    private static string Canonical(Command command, Reply reply, IReadOnlyList<Command>? executed)
    {
        if (reply.Items is not { } items)
        {
            return reply.Kind == ':' && TimeLeft.Contains(command.Name) && reply.Integer >= 0 ? "(integer) some time" : reply.ToString();
        }
        if (command.Name == "EXEC" && executed is not null && reply.Kind == '*' && items.Length == executed.Count)
        {
            return $"exec [{string.Join(", ", items.Select((item, i) => Canonical(executed[i], item, null)))}]";
        }
        if (reply.Kind is '*' or '~' && Unordered.Contains(command.Name))
        {
            return $"{reply.Kind} unordered {Sorted(items)}";
        }
        if (reply.Kind is '*' or '%' && command.Name == "HGETALL")
        {
            return $"{reply.Kind} unordered pairs {SortedPairs(items)}";
        }
        if (reply.Kind == '*' && Scans.Contains(command.Name) && items is [{ Kind: '$' } cursor, { Kind: '*', Items: { } found }])
        {
            // Only sent where one call returns everything (see CommandGenerator.Scan): the cursor is
            // 0, and the order of what it returns is the hash table's.
            var elements = command.Name is "HSCAN" or "ZSCAN" ? SortedPairs(found) : Sorted(found);
            return $"cursor {cursor} unordered {elements}";
        }
        return reply.ToString();
    }

    private static string Sorted(Reply[] items) => $"[{string.Join(", ", items.Select(item => item.ToString()).Order(StringComparer.Ordinal))}]";

    private static string SortedPairs(Reply[] items) =>
        $"[{string.Join(", ", items.Chunk(2).Select(pair => string.Join(" => ", pair.Select(item => item.ToString()))).Order(StringComparer.Ordinal))}]";
}
