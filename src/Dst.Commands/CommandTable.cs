using System.Collections.Frozen;
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
    /// <summary>Longer names cannot be commands; lookups of them fail without copying.</summary>
    private const int MaxNameLength = 64;

    private readonly FrozenDictionary<string, CommandSpec> _byName;
    private readonly FrozenDictionary<string, CommandSpec>.AlternateLookup<ReadOnlySpan<char>> _byChars;

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
            if (spec.Name.Length > MaxNameLength || spec.Name != spec.Name.ToLowerInvariant())
            {
                throw new ArgumentException($"command name '{spec.Name}' must be lowercase and at most {MaxNameLength} characters");
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
        _byChars = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
        All = [.. _byName.Values.OrderBy(spec => spec.Name, StringComparer.Ordinal)];
    }

    /// <summary>All commands, sorted by name.</summary>
    public IReadOnlyList<CommandSpec> All { get; }

    public int Count => All.Count;

    /// <summary>Finds a command by its name in any ASCII case, without allocating.</summary>
    public CommandSpec? Lookup(ReadOnlySpan<byte> name)
    {
        if (name.Length == 0 || name.Length > MaxNameLength)
        {
            return null;
        }
        Span<char> lower = stackalloc char[MaxNameLength];
        for (var i = 0; i < name.Length; i++)
        {
            var b = name[i];
            if (b >= 0x80)
            {
                return null;
            }
            lower[i] = (char)(b is >= (byte)'A' and <= (byte)'Z' ? b | 0x20 : b);
        }
        return _byChars.TryGetValue(lower[..name.Length], out var spec) ? spec : null;
    }

    public CommandSpec? Lookup(string name) =>
        _byName.TryGetValue(name.ToLowerInvariant(), out var spec) ? spec : null;
}
