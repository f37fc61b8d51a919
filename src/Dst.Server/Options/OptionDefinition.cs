namespace Dst.Server.Options;

/// <summary>
/// One setting: its name (the same on the command line, in the config file and in CONFIG), its help
/// text, how to read it and how to change it. <see cref="Set"/> returns an error message or null.
/// A <see cref="Replicated"/> option is replicated state: its command-line value is the initial one,
/// and CONFIG SET changes it through the log (a Configure entry) so every replica changes it at the
/// same log index; CONFIG GET then reports the applied value.
/// </summary>
public sealed record OptionDefinition(
    string Name,
    string ValueHint,
    string Description,
    Func<ServerOptions, string> Get,
    Func<ServerOptions, IReadOnlyList<string>, string?>? Set,
    bool RuntimeSettable = false,
    bool MultiValue = false,
    bool Replicated = false)
{
    /// <summary>Reported by CONFIG GET for clients that ask, but not a setting of Dst.</summary>
    public bool ReadOnly => Set is null;
}
