namespace Dst.Server.Info;

/// <summary>Which INFO sections a request selects: named ones, "default", "all" or "everything".</summary>
public sealed class InfoSections
{
    public static readonly string[] Default = ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "keyspace"];

    private readonly HashSet<string> _selected;

    private InfoSections(HashSet<string> selected) => _selected = selected;

    /// <summary>Reads INFO's arguments; unknown section names select nothing, as in Redis.</summary>
    public static InfoSections From(IReadOnlyList<string> names)
    {
        var selected = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (names.Count == 0)
        {
            selected.UnionWith(Default);
        }
        foreach (var name in names)
        {
            if (name.Equals("default", StringComparison.OrdinalIgnoreCase)
                || name.Equals("all", StringComparison.OrdinalIgnoreCase)
                || name.Equals("everything", StringComparison.OrdinalIgnoreCase))
            {
                selected.UnionWith(Default);
            }
            else
            {
                selected.Add(name);
            }
        }
        return new InfoSections(selected);
    }

    public bool Includes(string section) => _selected.Contains(section);
}
