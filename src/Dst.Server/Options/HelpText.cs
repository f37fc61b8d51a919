using System.Text;

namespace Dst.Server.Options;

/// <summary>The text of <c>dst-server --help</c>, built from the option catalog so it never goes stale.</summary>
public static class HelpText
{
    public static string Build()
    {
        var text = new StringBuilder();
        text.AppendLine($"dst-server {ServerVersion.Dst}: a strongly consistent key-value store that speaks the Redis protocol.");
        text.AppendLine();
        text.AppendLine("Usage: dst-server [config-file] [--option value ...]");
        text.AppendLine("       dst-server --help | --version");
        text.AppendLine();
        text.AppendLine("The config file holds one option a line with the same names (\"port 6380\"); '#' starts a comment;");
        text.AppendLine("values may be quoted. Options on the command line override the file. Sizes accept Redis units:");
        text.AppendLine("1k = 1000, 1kb = 1024, likewise m/mb and g/gb. Options marked * can be changed at run time with CONFIG SET.");
        text.AppendLine();
        text.AppendLine("Options:");
        foreach (var option in OptionCatalog.All.Where(o => !o.ReadOnly))
        {
            var marker = option.RuntimeSettable ? "*" : " ";
            text.AppendLine($"  --{option.Name} {option.ValueHint}");
            text.AppendLine($"     {marker} {option.Description}");
        }
        text.AppendLine();
        text.AppendLine("Example: dst-server --port 6380 --dir /var/lib/dst --appendfsync always --requirepass s3cret");
        return text.ToString();
    }
}
