namespace Dst.Server.Options;

/// <summary>
/// One setting: its name (the same on the command line, in the config file and in CONFIG), its help
/// text, how to read it and how to change it. <see cref="Set"/> returns an error message or null.
/// </summary>
public sealed record OptionDefinition(
    string Name,
    string ValueHint,
    string Description,
    Func<ServerOptions, string> Get,
    Func<ServerOptions, IReadOnlyList<string>, string?>? Set,
    bool RuntimeSettable = false,
    bool MultiValue = false)
{
    /// <summary>Reported by CONFIG GET for clients that ask, but not a setting of Dst.</summary>
    public bool ReadOnly => Set is null;
}
