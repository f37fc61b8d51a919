using System.Collections.Frozen;
using System.Text;
using Dst.Commands.Hashes;
using Dst.Commands.Keys;
using Dst.Commands.Lists;
using Dst.Commands.Server;
using Dst.Commands.Sets;
using Dst.Commands.SortedSets;
using Dst.Commands.Strings;
using Dst.Commands.Transactions;
using Dst.Commands.Typed;

namespace Dst.Commands;

/// <summary>
/// Every command Dst knows, composed from one spec list per data type or concern. Adding a data
/// type is one new file with its specs and handlers plus one line in <see cref="Default"/>.
/// </summary>
public sealed class CommandTable
{
    /// <summary>Longer names cannot be commands; lookups of them fail without hashing.</summary>
    private const int MaxNameLength = 64;

    private readonly FrozenDictionary<string, CommandSpec> _byName;
    private readonly CommandNameIndex _byBytes;

    public static CommandTable Default { get; } = new(
        StringCommands.Specs,
        KeyCommands.Specs,
        ObjectCommands.Specs,
        HashCommands.Specs,
        SetCommands.Specs,
        ListCommands.Specs,
        SortedSetCommands.Specs,
        TypedCommands.Specs,
        ConnectionStateSpecs.Specs,
        ServerCommandSpecs.Specs,
        ClusterCommandSpecs.Specs);

    public CommandTable(params IEnumerable<CommandSpec>[] specLists)
    {
        var byName = new Dictionary<string, CommandSpec>(StringComparer.Ordinal);
        foreach (var spec in specLists.SelectMany(list => list))
        {
            if (spec.Name.Length > MaxNameLength || spec.Name != spec.Name.ToLowerInvariant() || !Ascii.IsValid(spec.Name))
            {
                throw new ArgumentException($"command name '{spec.Name}' must be lowercase ASCII and at most {MaxNameLength} characters");
            }
            if (!spec.IsServer && spec.Handler is null)
            {
                throw new ArgumentException($"command '{spec.Name}' has no handler and is not a server command");
            }
            if (!byName.TryAdd(spec.Name, spec))
            {
                throw new ArgumentException($"command '{spec.Name}' is declared twice");
            }
        }
        _byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
        _byBytes = new CommandNameIndex(byName.Values);
        All = [.. _byName.Values.OrderBy(spec => spec.Name, StringComparer.Ordinal)];
    }

    /// <summary>All commands, sorted by name.</summary>
    public IReadOnlyList<CommandSpec> All { get; }

    public int Count => All.Count;

    /// <summary>Finds a command by its name in any ASCII case, without allocating.</summary>
    public CommandSpec? Lookup(ReadOnlySpan<byte> name) =>
        name.Length is > 0 and <= MaxNameLength ? _byBytes.Find(name) : null;

    public CommandSpec? Lookup(string name) =>
        _byName.TryGetValue(name.ToLowerInvariant(), out var spec) ? spec : null;
}
