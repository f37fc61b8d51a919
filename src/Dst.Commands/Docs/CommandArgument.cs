namespace Dst.Commands.Docs;

/// <summary>
/// One argument of a command as COMMAND DOCS describes it (Redis 7's argument model): a typed
/// value, a pure token, a block of arguments in sequence or a choice of one of several, optionally
/// preceded by a token, optional, repeatable. <see cref="KeySpecIndex"/> numbers the key arguments.
/// </summary>
public sealed record CommandArgument(
    string Name,
    string Type,
    string? Token,
    bool Optional,
    bool Multiple,
    int KeySpecIndex,
    IReadOnlyList<CommandArgument> Children)
{
    /// <summary>The value types a leaf argument can have; "pure-token", "block" and "oneof" are the others.</summary>
    public static readonly IReadOnlySet<string> ValueTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "key", "string", "integer", "double", "pattern", "unix-time",
    };
}
