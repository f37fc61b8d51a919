using System.Globalization;
using Dst.Cli.Options;

namespace Dst.Cli.Cluster;

/// <summary>
/// Node ids as the server's CLUSTER subcommands take them (a positive decimal number), also accepted
/// as the 40 hexadecimal characters CLUSTER NODES prints, so ids can be pasted from either.
/// </summary>
public static class NodeIds
{
    public const int NameLength = 40;

    public static ulong Parse(string text)
    {
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
        {
            return id;
        }
        if (text.Length == NameLength && ulong.TryParse(text.TrimStart('0'), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out id) && id > 0)
        {
            return id;
        }
        throw new CliUsageException($"Invalid node id '{text}': expected a positive number (or the 40-character name CLUSTER NODES prints)");
    }

    public static string Format(ulong id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The id inside a CLUSTER NODES name, or null for anything else.</summary>
    public static ulong? FromName(string name) =>
        name.Length == NameLength && ulong.TryParse(name.TrimStart('0'), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id) ? id : null;
}
