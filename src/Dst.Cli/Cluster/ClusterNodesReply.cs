namespace Dst.Cli.Cluster;

/// <summary>Reads CLUSTER NODES: each line starts with the member's 40-character name and its <c>host:port@cport</c>.</summary>
public static class ClusterNodesReply
{
    public static IReadOnlyDictionary<ulong, string> Addresses(string text)
    {
        var addresses = new Dictionary<ulong, string>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(' ');
            if (fields.Length > 1 && NodeIds.FromName(fields[0]) is { } id)
            {
                addresses[id] = fields[1];
            }
        }
        return addresses;
    }
}
