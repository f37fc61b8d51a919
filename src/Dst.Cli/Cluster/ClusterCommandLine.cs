using System.Globalization;
using Dst.Cli.Options;

namespace Dst.Cli.Cluster;

/// <summary>
/// Reads the words after <c>--cluster</c>: a subcommand, its addresses and ids, and the options that
/// make sense there too (<c>--timeout</c>, <c>--json</c>, <c>-a</c>/<c>--pass</c>, <c>--user</c>),
/// so <c>dst-cli --cluster status 10.0.0.1:6380 -a secret --json</c> works as with redis-cli.
/// </summary>
public static class ClusterCommandLine
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public const string Subcommands = "status, add-node, remove-node, transfer-leader, wait-leader or help";

    /// <summary>One subcommand: its arguments' usage, how many there are, and the request they make (null: help).</summary>
    private sealed record Form(string Usage, int Arguments, Func<List<string>, ClusterRequest?> Build);

    private static readonly Dictionary<string, Form> Forms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["status"] = new("<host:port>", 1, a => new StatusRequest(NodeEndpoint.Parse(a[0]))),
        ["add-node"] = new("<new-host:port> <existing-host:port> [--timeout <seconds>]", 2,
            a => new AddNodeRequest(NodeEndpoint.Parse(a[0]), NodeEndpoint.Parse(a[1]))),
        ["remove-node"] = new("<host:port> <node-id> [--timeout <seconds>]", 2, a => new RemoveNodeRequest(NodeEndpoint.Parse(a[0]), NodeIds.Parse(a[1]))),
        ["transfer-leader"] = new("<host:port> <node-id> [--timeout <seconds>]", 2, a => new TransferLeaderRequest(NodeEndpoint.Parse(a[0]), NodeIds.Parse(a[1]))),
        ["wait-leader"] = new("<host:port> [--timeout <seconds>]", 1, a => new WaitLeaderRequest(NodeEndpoint.Parse(a[0]))),
        ["help"] = new("", 0, _ => null),
    };

    /// <summary>The options with the cluster words' own applied, and the request; a null request means help.</summary>
    public static (CliOptions Options, ClusterRequest? Request) Parse(CliOptions options, IReadOnlyList<string> words)
    {
        if (words.Count == 0)
        {
            throw new CliUsageException($"--cluster needs a subcommand: {Subcommands}");
        }
        var timeout = DefaultTimeout;
        var positionals = new List<string>();
        for (var i = 1; i < words.Count; i++)
        {
            var word = words[i];
            switch (word)
            {
                case "--timeout":
                    timeout = Timeout(CliOptionsParser.Value(words, ref i));
                    break;
                case "--json":
                    options = options with { Output = OutputFormat.Json };
                    break;
                case "-a" or "--pass":
                    options = options with { Password = CliOptionsParser.Value(words, ref i) };
                    break;
                case "--user":
                    options = options with { User = CliOptionsParser.Value(words, ref i) };
                    break;
                case ['-', _, ..]:
                    throw CliOptionsParser.Unrecognized(word);
                default:
                    positionals.Add(word);
                    break;
            }
        }
        options = CliOptionsParser.Checked(options);
        if (!Forms.TryGetValue(words[0], out var form))
        {
            throw new CliUsageException($"Unknown --cluster subcommand '{words[0]}': expected {Subcommands}");
        }
        if (positionals.Count != form.Arguments)
        {
            throw new CliUsageException($"Usage: dst-cli --cluster {words[0].ToLowerInvariant()} {form.Usage}".TrimEnd());
        }
        return (options, form.Build(positionals) is { } request ? request with { Timeout = timeout } : null);
    }

    private static TimeSpan Timeout(string text) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds < TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : throw new CliUsageException($"Invalid timeout '{text}': expected seconds, such as 30 or 0.5");
}
