namespace Dst.Cli.Options;

/// <summary>A command line that cannot be understood; the message says which option and why.</summary>
public sealed class CliUsageException(string message) : Exception(message);
