namespace Dst.Cli.Cluster;

/// <summary>The <c>field:value</c> lines of INFO and CLUSTER INFO (section headers and blank lines skipped).</summary>
public static class InfoText
{
    public static Dictionary<string, string> Fields(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (!line.StartsWith('#') && colon > 0)
            {
                fields[line[..colon]] = line[(colon + 1)..];
            }
        }
        return fields;
    }
}
