namespace Dst.Cli.Options;

/// <summary>Everything the command line of <c>dst-cli</c> says, after defaults.</summary>
public sealed record CliOptions
{
    public const string DefaultHost = "127.0.0.1";
    public const int DefaultPort = 6380;

    public string Host { get; init; } = DefaultHost;

    public int Port { get; init; } = DefaultPort;

    /// <summary>Sent with AUTH (or inside HELLO) right after connecting.</summary>
    public string? Password { get; init; }

    /// <summary>The ACL user for <see cref="Password"/>; "default" when not given.</summary>
    public string? User { get; init; }

    public ProtocolChoice Protocol { get; init; } = ProtocolChoice.Auto;

    /// <summary>The format chosen with --raw, --no-raw or --json; null means "decide by whether stdout is a terminal".</summary>
    public OutputFormat? Output { get; init; }

    /// <summary>How many times a command given as arguments runs (-r); -1 means forever.</summary>
    public long Repeat { get; init; } = 1;

    /// <summary>The pause between repeated runs (-i).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.Zero;

    /// <summary>Exit with code 1 when a command replies with an error (-e).</summary>
    public bool ExitCodeOnError { get; init; }

    public bool ShowHelp { get; init; }

    public bool ShowVersion { get; init; }

    /// <summary>A command given on the command line (empty: read commands from stdin or the prompt).</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>The words after <c>--cluster</c> (a subcommand and its arguments); null outside the cluster admin form.</summary>
    public IReadOnlyList<string>? Cluster { get; init; }

    /// <summary>The format actually used: Pretty on a terminal, Raw when stdout is redirected, unless an option chose.</summary>
    public OutputFormat ResolveOutput(bool stdoutIsTerminal) => Output ?? (stdoutIsTerminal ? OutputFormat.Pretty : OutputFormat.Raw);
}
