namespace Dst.Server.Options;

/// <summary>What the command line asked for: run with options, print help or version, or fail.</summary>
public sealed record ParsedCommandLine(ServerOptions? Options, bool ShowHelp, bool ShowVersion, string? Error);

/// <summary>
/// Reads <c>dst-server [config-file] [--option value ...]</c> as redis-server does: the config file
/// first, then the command-line options over it. An option takes every word up to the next
/// <c>--option</c>, so <c>--bind 127.0.0.1 ::1</c> works.
/// </summary>
public static class OptionsParser
{
    public static ParsedCommandLine Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 1 && args[0] is "--help" or "-h")
        {
            return new(null, ShowHelp: true, ShowVersion: false, null);
        }
        if (args.Count == 1 && args[0] is "--version" or "-v")
        {
            return new(null, ShowHelp: false, ShowVersion: true, null);
        }
        var options = new ServerOptions();
        var first = 0;
        if (args.Count > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
        {
            options.ConfigFile = Path.GetFullPath(args[0]);
            var fileError = ApplyConfigFile(options, args[0]);
            if (fileError is not null)
            {
                return Fail(fileError);
            }
            first = 1;
        }
        var error = ApplyCommandLine(options, args, first);
        return error is null ? new(options, false, false, null) : Fail(error);
    }

    /// <summary>Applies one directive (name and its values) and returns an error or null.</summary>
    public static string? Apply(ServerOptions options, string name, IReadOnlyList<string> values)
    {
        var definition = OptionCatalog.Find(name);
        if (definition is null)
        {
            return $"unknown option '{name}' (see dst-server --help)";
        }
        if (definition.Set is null)
        {
            return $"'{definition.Name}' is reported to Redis clients but cannot be set: {definition.Description}";
        }
        if (values.Count == 0 || (!definition.MultiValue && values.Count != 1))
        {
            return $"'{definition.Name}' takes {(definition.MultiValue ? "one or more values" : "exactly one value")}: {definition.Name} {definition.ValueHint}";
        }
        var error = definition.Set(options, values);
        return error is null ? null : $"bad value for '{definition.Name}': {error}";
    }

    private static string? ApplyConfigFile(ServerOptions options, string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot read config file '{path}': {e.Message}";
        }
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            if (!ConfigLineSplitter.TrySplit(line, out var words, out var splitError))
            {
                return $"config file '{path}' line {n + 1}: {splitError}: {line}";
            }
            var error = Apply(options, words[0], words.GetRange(1, words.Count - 1));
            if (error is not null)
            {
                return $"config file '{path}' line {n + 1}: {error}";
            }
        }
        return null;
    }

    private static string? ApplyCommandLine(ServerOptions options, IReadOnlyList<string> args, int first)
    {
        var i = first;
        while (i < args.Count)
        {
            var token = args[i];
            if (!token.StartsWith("--", StringComparison.Ordinal) || token.Length == 2)
            {
                return $"unexpected argument '{token}': options are written --name value (see dst-server --help)";
            }
            var values = new List<string>();
            for (i++; i < args.Count && !IsOptionName(args[i]); i++)
            {
                values.Add(args[i]);
            }
            var error = Apply(options, token[2..], values);
            if (error is not null)
            {
                return error;
            }
        }
        return null;
    }

    /// <summary>An option name is "--" and a letter, so values such as "--" or "-1" are still values.</summary>
    private static bool IsOptionName(string token) =>
        token.Length > 2 && token.StartsWith("--", StringComparison.Ordinal) && char.IsAsciiLetter(token[2]);

    private static ParsedCommandLine Fail(string error) => new(null, false, false, error);
}
