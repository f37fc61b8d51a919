using System.Globalization;

namespace Dst.Commands;

/// <summary>One compact-encoding threshold: Redis's name, its older ziplist alias, and its place in <see cref="StateMachineOptions"/>.</summary>
public sealed record EncodingThreshold(
    string Name,
    string? Alias,
    string Description,
    int Min,
    Func<StateMachineOptions, int> Get,
    Func<StateMachineOptions, int, StateMachineOptions> With)
{
    /// <summary>
    /// Parses and checks a value as CONFIG SET does; returns the reason in Redis's words (what follows
    /// "- " in its error) or null with <paramref name="result"/> holding the changed options.
    /// </summary>
    public string? TrySet(StateMachineOptions options, string text, out StateMachineOptions result)
    {
        result = options;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return "argument couldn't be parsed into an integer";
        }
        if (value < Min || value > int.MaxValue)
        {
            return $"argument must be between {Min} and {int.MaxValue} inclusive";
        }
        if (value == 0 && Min < 0)
        {
            return "argument must not be 0";
        }
        result = With(options, (int)value);
        return null;
    }
}

/// <summary>
/// The thresholds that decide how small hashes, sets, lists and sorted sets are encoded. They change
/// what apply builds, so they are replicated state: set at start-up, changed only by a Configure log
/// entry (CONFIG SET), and carried in snapshots. Validation lives here so CONFIG SET refuses exactly
/// what the state machine would.
/// </summary>
public static class EncodingThresholds
{
    public static IReadOnlyList<EncodingThreshold> All { get; } =
    [
        new("hash-max-listpack-entries", "hash-max-ziplist-entries", "Most fields a hash keeps in the compact listpack encoding (default 128).",
            0, o => o.HashMaxListpackEntries, (o, x) => o with { HashMaxListpackEntries = x }),
        new("hash-max-listpack-value", "hash-max-ziplist-value", "Longest field or value a listpack hash holds (default 64).",
            0, o => o.HashMaxListpackValue, (o, x) => o with { HashMaxListpackValue = x }),
        new("set-max-intset-entries", null, "Most members a set of integers keeps in the intset encoding (default 512).",
            0, o => o.SetMaxIntsetEntries, (o, x) => o with { SetMaxIntsetEntries = x }),
        new("set-max-listpack-entries", null, "Most members a set keeps in the listpack encoding (default 128).",
            0, o => o.SetMaxListpackEntries, (o, x) => o with { SetMaxListpackEntries = x }),
        new("set-max-listpack-value", null, "Longest member a listpack set holds (default 64).",
            0, o => o.SetMaxListpackValue, (o, x) => o with { SetMaxListpackValue = x }),
        new("list-max-listpack-size", "list-max-ziplist-size", "Entries per list node when positive; -1 to -5 for nodes of 4, 8, 16, 32 or 64 KB (default -2).",
            -5, o => o.ListMaxListpackSize, (o, x) => o with { ListMaxListpackSize = x }),
        new("zset-max-listpack-entries", "zset-max-ziplist-entries", "Most members a sorted set keeps in the listpack encoding (default 128).",
            0, o => o.ZsetMaxListpackEntries, (o, x) => o with { ZsetMaxListpackEntries = x }),
        new("zset-max-listpack-value", "zset-max-ziplist-value", "Longest member a listpack sorted set holds (default 64).",
            0, o => o.ZsetMaxListpackValue, (o, x) => o with { ZsetMaxListpackValue = x }),
    ];

    /// <summary>The threshold called <paramref name="name"/> or its alias (case-insensitive), or null.</summary>
    public static EncodingThreshold? Find(string name) =>
        All.FirstOrDefault(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase) || (t.Alias?.Equals(name, StringComparison.OrdinalIgnoreCase) ?? false));

    /// <summary>
    /// Applies every pair in order, all or none: null and the new options, or the error CONFIG SET
    /// answers for the first bad pair (unknown name, bad value), with <paramref name="result"/> unchanged.
    /// </summary>
    public static string? TryApply(StateMachineOptions options, IReadOnlyList<(string Name, string Value)> pairs, out StateMachineOptions result)
    {
        result = options;
        var updated = options;
        foreach (var (name, value) in pairs)
        {
            if (Find(name) is not { } threshold)
            {
                return $"ERR Unknown option or number of arguments for CONFIG SET - '{name}'";
            }
            if (threshold.TrySet(updated, value, out updated) is { } error)
            {
                return $"ERR CONFIG SET failed (possibly related to argument '{name}') - {error}";
            }
        }
        result = updated;
        return null;
    }

    /// <summary>Every threshold with its value in <paramref name="options"/>, by canonical name (what a snapshot records).</summary>
    public static List<(string Name, string Value)> Values(StateMachineOptions options) =>
        [.. All.Select(t => (t.Name, t.Get(options).ToString(CultureInfo.InvariantCulture)))];
}
