namespace Dst.Commands.KeySpecs;

/// <summary>
/// Parses a spec's <see cref="CommandSpec.KeyFlags"/> text, Redis 7's key-spec flags with one set per
/// key spec separated by ';' (<c>"RW access delete; RW insert"</c> for LMOVE), once per spec.
/// </summary>
public static class KeyFlagText
{
    private static readonly string[] Known =
        ["RW", "RO", "OW", "RM", "access", "update", "insert", "delete", "not_key", "incomplete", "variable_flags"];

    public static IReadOnlyList<string[]> Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }
        var sets = text.Split(';', StringSplitOptions.TrimEntries).Select(set => set.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        foreach (var flag in sets.SelectMany(set => set))
        {
            if (!Known.Contains(flag, StringComparer.Ordinal))
            {
                throw new ArgumentException($"unknown key flag '{flag}' in \"{text}\"");
            }
        }
        return sets;
    }

    /// <summary>True when a key with these flags is only read: WATCH need not count it as written.</summary>
    public static bool IsReadOnly(string[] flags)
    {
        foreach (var flag in flags)
        {
            if (flag == "RO")
            {
                return true;
            }
        }
        return false;
    }
}
