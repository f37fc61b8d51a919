using System.Globalization;

namespace Dst.Cli.Options;

/// <summary>
/// Reads <c>dst-cli</c>'s command line the way redis-cli reads its own: options first, and the first
/// word that is not an option starts the command, whose words are taken as they are (the shell has
/// already split and unquoted them). <c>-h</c> as the very last word means help, as in redis-cli.
/// <c>--cluster</c> ends the options too: the words after it belong to the cluster admin form.
/// </summary>
public static class CliOptionsParser
{
    public static CliOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CliOptions();
        var i = 0;
        for (; i < args.Count; i++)
        {
            var arg = args[i];
            var isLast = i == args.Count - 1;
            if (!arg.StartsWith('-') || arg == "-")
            {
                break;
            }
            if (arg == "--cluster")
            {
                return Checked(options) with { Cluster = [.. args.Skip(i + 1)] };
            }
            options = arg switch
            {
                "--help" => options with { ShowHelp = true },
                "-h" when isLast => options with { ShowHelp = true },
                "-v" or "--version" => options with { ShowVersion = true },
                "-h" => options with { Host = Value(args, ref i) },
                "-p" => options with { Port = Port(Value(args, ref i)) },
                "-a" or "--pass" => options with { Password = Value(args, ref i) },
                "--user" => options with { User = Value(args, ref i) },
                "-n" => CheckDatabase(options, Value(args, ref i)),
                "-2" => options with { Protocol = ProtocolChoice.Resp2 },
                "-3" or "--resp3" => options with { Protocol = ProtocolChoice.Resp3 },
                "--raw" => options with { Output = OutputFormat.Raw },
                "--no-raw" => options with { Output = OutputFormat.Pretty },
                "--json" => options with { Output = OutputFormat.Json },
                "-r" => options with { Repeat = Repeat(Value(args, ref i)) },
                "-i" => options with { Interval = Interval(Value(args, ref i)) },
                "-e" => options with { ExitCodeOnError = true },
                _ => throw Unrecognized(arg),
            };
        }
        return Checked(options) with { Command = [.. args.Skip(i)] };
    }

    /// <summary>The checks that span options; <see cref="Cluster.ClusterCommandLine"/> repeats them after its own options.</summary>
    public static CliOptions Checked(CliOptions options) =>
        options.User is not null && options.Password is null
            ? throw new CliUsageException("--user needs a password: give it with -a")
            : options;

    public static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count)
        {
            throw Unrecognized(args[i]);
        }
        return args[++i];
    }

    public static CliUsageException Unrecognized(string arg) =>
        new($"Unrecognized option or bad number of args for: '{arg}'");

    private static int Port(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new CliUsageException($"Invalid port '{text}': expected a number from 1 to 65535");

    /// <summary>Dst has one keyspace, database 0; -n exists so redis-cli habits ("-n 0") keep working.</summary>
    private static CliOptions CheckDatabase(CliOptions options, string text) =>
        text == "0" ? options : throw new CliUsageException($"Invalid database '{text}': Dst has only database 0");

    private static long Repeat(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var repeat) && repeat >= -1
            ? repeat
            : throw new CliUsageException($"Invalid repeat count '{text}': expected a number, or -1 for forever");

    private static TimeSpan Interval(string text) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds < TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : throw new CliUsageException($"Invalid interval '{text}': expected seconds, such as 0.5");
}
