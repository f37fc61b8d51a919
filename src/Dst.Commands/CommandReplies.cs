using System.Text;
using Dst.Commands.Docs;
using Dst.Commands.Keys;
using Dst.Commands.KeySpecs;
using Dst.Protocol;

namespace Dst.Commands;

/// <summary>
/// The COMMAND command, answered from the table with Redis 7's reply shapes: COMMAND, COUNT,
/// INFO, DOCS, LIST [FILTERBY ...], GETKEYS, GETKEYSANDFLAGS, HELP. redis-cli sends COMMAND DOCS when it starts.
/// </summary>
public static class CommandReplies
{
    private static readonly (CommandFlags Flag, string Name)[] FlagNames =
    [
        (CommandFlags.Write, "write"),
        (CommandFlags.ReadOnly, "readonly"),
        (CommandFlags.DenyOom, "denyoom"),
        (CommandFlags.Admin, "admin"),
        (CommandFlags.PubSub, "pubsub"),
        (CommandFlags.Blocking, "blocking"),
        (CommandFlags.Loading, "loading"),
        (CommandFlags.Stale, "stale"),
        (CommandFlags.Fast, "fast"),
        (CommandFlags.NoAuth, "no_auth"),
        (CommandFlags.MovableKeys, "movablekeys"),
    ];

    private static readonly string[] HelpLines =
    [
        "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "(no subcommand)",
        "    Return details about all commands.",
        "COUNT",
        "    Return the total number of commands in this server.",
        "LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]",
        "    Return a list of all commands in this server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "GETKEYS <full-command>",
        "    Return the keys from a full command.",
        "GETKEYSANDFLAGS <full-command>",
        "    Return the keys and the access flags from a full command.",
        "HELP",
        "    Print this help.",
    ];

    /// <summary>Answers a whole COMMAND request (<paramref name="args"/>[0] is "COMMAND").</summary>
    public static void Write(CommandTable table, CommandArgs args, RespWriter reply)
    {
        if (args.Count == 1)
        {
            WriteInfos([.. table.All], reply);
            return;
        }
        var sub = args[1];
        if (Ascii.EqualsIgnoreCase(sub, "COUNT"u8) && args.Count == 2)
        {
            reply.WriteInteger(table.Count);
        }
        else if (Ascii.EqualsIgnoreCase(sub, "INFO"u8))
        {
            WriteInfos(args.Count == 2 ? [.. table.All] : Named(table, args), reply);
        }
        else if (Ascii.EqualsIgnoreCase(sub, "DOCS"u8))
        {
            WriteDocs(args.Count == 2 ? table.All : [.. Named(table, args).OfType<CommandSpec>()], reply);
        }
        else if (Ascii.EqualsIgnoreCase(sub, "LIST"u8))
        {
            WriteList(table, args, reply);
        }
        else if (Ascii.EqualsIgnoreCase(sub, "GETKEYS"u8) || Ascii.EqualsIgnoreCase(sub, "GETKEYSANDFLAGS"u8))
        {
            var withFlags = sub.Length == "GETKEYSANDFLAGS".Length;
            if (args.Count < 4)
            {
                // Redis 7 declares both with arity -4: the inspected command comes with at least one argument.
                reply.WriteError(CommandErrors.WrongArity(withFlags ? "command|getkeysandflags" : "command|getkeys"));
                return;
            }
            WriteGetKeys(table, args, reply, withFlags);
        }
        else if (Ascii.EqualsIgnoreCase(sub, "HELP"u8) && args.Count == 2)
        {
            reply.WriteArrayHeader(HelpLines.Length);
            foreach (var line in HelpLines)
            {
                reply.WriteSimpleString(line);
            }
        }
        else
        {
            reply.WriteError(CommandErrors.UnknownSubcommand(sub, "command"));
        }
    }

    /// <summary>Redis's ACL categories for a command, derived from its group and flags.</summary>
    public static IEnumerable<string> AclCategories(CommandSpec spec)
    {
        if (spec.IsReadOnly)
        {
            yield return "@read";
        }
        if (spec.IsWrite)
        {
            yield return "@write";
        }
        switch (spec.Group)
        {
            case "string":
                yield return "@string";
                break;
            case "generic":
                yield return "@keyspace";
                break;
            case "connection":
                yield return "@connection";
                break;
            case "hash":
                yield return "@hash";
                break;
            case "list":
                yield return "@list";
                break;
            case "set":
                yield return "@set";
                break;
            case "sorted-set":
                yield return "@sortedset";
                break;
            case "pubsub":
                yield return "@pubsub";
                break;
        }
        if ((spec.Flags & CommandFlags.Blocking) != 0)
        {
            yield return "@blocking";
        }
        if ((spec.Flags & CommandFlags.Admin) != 0)
        {
            yield return "@admin";
            yield return "@dangerous";
        }
        yield return (spec.Flags & CommandFlags.Fast) != 0 ? "@fast" : "@slow";
    }

    private static List<CommandSpec?> Named(CommandTable table, CommandArgs args)
    {
        var specs = new List<CommandSpec?>(args.Count - 2);
        for (var i = 2; i < args.Count; i++)
        {
            specs.Add(table.Lookup(args[i]));
        }
        return specs;
    }

    private static void WriteInfos(List<CommandSpec?> specs, RespWriter reply)
    {
        reply.WriteArrayHeader(specs.Count);
        foreach (var spec in specs)
        {
            if (spec is null)
            {
                reply.WriteNull();
            }
            else
            {
                WriteInfo(spec, reply);
            }
        }
    }

    /// <summary>One COMMAND INFO entry: name, arity, flags, first, last, step, ACL categories, tips, key specs, subcommands.</summary>
    private static void WriteInfo(CommandSpec spec, RespWriter reply)
    {
        reply.WriteArrayHeader(10);
        reply.WriteBulkString(spec.Name);
        reply.WriteInteger(spec.Arity);
        var flags = FlagNames.Where(f => (spec.Flags & f.Flag) != 0).Select(f => f.Name).ToList();
        WriteStatusSet(flags, reply);
        reply.WriteInteger(spec.FirstKey);
        reply.WriteInteger(spec.LastKey);
        reply.WriteInteger(spec.KeyStep);
        WriteStatusSet([.. AclCategories(spec)], reply);
        reply.WriteSetHeader(0);
        WriteKeySpecs(spec, reply);
        reply.WriteArrayHeader(0);
    }

    /// <summary>
    /// Redis 7's key specs for first/last/step, one per key-flags set: LMOVE's source and destination are
    /// two single-key specs, SINTERSTORE's destination one and its sources a range. A spec with a key
    /// finder but not movable keys (SET) shows its first set, the union of what its keys may be. The
    /// keys after a count (LMPOP, ZUNIONSTORE) are a keynum spec.
    /// </summary>
    private static void WriteKeySpecs(CommandSpec spec, RespWriter reply)
    {
        var sets = spec.KeyFlagSets;
        if (spec.FindKeys is not null && KeyFinders.TryDescribe(spec.FindKeys, out var counted) && sets.Count > 0)
        {
            WriteCountedKeySpecs(counted, sets, reply);
            return;
        }
        if (!spec.HasKeys || (spec.Flags & CommandFlags.MovableKeys) != 0 || sets.Count == 0)
        {
            reply.WriteArrayHeader(0);
            return;
        }
        var count = spec.FindKeys is null ? sets.Count : 1;
        reply.WriteArrayHeader(count);
        for (var i = 0; i < count; i++)
        {
            var begin = spec.FirstKey + (i * spec.KeyStep);
            var isLast = i == count - 1;
            var lastKey = !isLast ? 0 : spec.LastKey < 0 ? spec.LastKey : spec.LastKey - begin;
            WriteKeySpec(sets[i], begin, lastKey, isLast ? spec.KeyStep : 1, reply);
        }
    }

    private static void WriteCountedKeySpecs(CountedKeys counted, IReadOnlyList<string[]> sets, RespWriter reply)
    {
        reply.WriteArrayHeader(counted.Destination > 0 ? 2 : 1);
        if (counted.Destination > 0)
        {
            WriteKeySpec(sets[0], counted.Destination, 0, 1, reply);
        }
        reply.WriteMapHeader(3);
        reply.WriteBulkString("flags");
        WriteStatusSet(sets[^1], reply);
        reply.WriteBulkString("begin_search");
        reply.WriteMapHeader(2);
        reply.WriteBulkString("type");
        reply.WriteBulkString("index");
        reply.WriteBulkString("spec");
        reply.WriteMapHeader(1);
        reply.WriteBulkString("index");
        reply.WriteInteger(counted.CountAt);
        reply.WriteBulkString("find_keys");
        reply.WriteMapHeader(2);
        reply.WriteBulkString("type");
        reply.WriteBulkString("keynum");
        reply.WriteBulkString("spec");
        reply.WriteMapHeader(3);
        reply.WriteBulkString("keynumidx");
        reply.WriteInteger(0);
        reply.WriteBulkString("firstkey");
        reply.WriteInteger(1);
        reply.WriteBulkString("keystep");
        reply.WriteInteger(1);
    }

    private static void WriteKeySpec(string[] flags, int begin, int lastKey, int keyStep, RespWriter reply)
    {
        reply.WriteMapHeader(3);
        reply.WriteBulkString("flags");
        WriteStatusSet(flags, reply);
        reply.WriteBulkString("begin_search");
        reply.WriteMapHeader(2);
        reply.WriteBulkString("type");
        reply.WriteBulkString("index");
        reply.WriteBulkString("spec");
        reply.WriteMapHeader(1);
        reply.WriteBulkString("index");
        reply.WriteInteger(begin);
        reply.WriteBulkString("find_keys");
        reply.WriteMapHeader(2);
        reply.WriteBulkString("type");
        reply.WriteBulkString("range");
        reply.WriteBulkString("spec");
        reply.WriteMapHeader(3);
        reply.WriteBulkString("lastkey");
        reply.WriteInteger(lastKey);
        reply.WriteBulkString("keystep");
        reply.WriteInteger(keyStep);
        reply.WriteBulkString("limit");
        reply.WriteInteger(0);
    }

    /// <summary>
    /// COMMAND DOCS: a map from name to a map of summary, since, group, complexity and, when the
    /// command takes any, its arguments (Redis leaves the field out otherwise).
    /// </summary>
    private static void WriteDocs(IReadOnlyList<CommandSpec> specs, RespWriter reply)
    {
        reply.WriteMapHeader(specs.Count);
        foreach (var spec in specs)
        {
            reply.WriteBulkString(spec.Name);
            var fields = 3 + (string.IsNullOrEmpty(spec.Complexity) ? 0 : 1) + (spec.Arguments.Count > 0 ? 1 : 0);
            reply.WriteMapHeader(fields);
            reply.WriteBulkString("summary");
            reply.WriteBulkString(spec.Summary);
            reply.WriteBulkString("since");
            reply.WriteBulkString(spec.Since);
            reply.WriteBulkString("group");
            reply.WriteBulkString(spec.Group);
            if (!string.IsNullOrEmpty(spec.Complexity))
            {
                reply.WriteBulkString("complexity");
                reply.WriteBulkString(spec.Complexity);
            }
            if (spec.Arguments.Count > 0)
            {
                reply.WriteBulkString("arguments");
                WriteArguments(spec.Arguments, reply);
            }
        }
    }

    /// <summary>Each argument as Redis 7 describes it: name, type, key_spec_index, token, flags, nested arguments.</summary>
    private static void WriteArguments(IReadOnlyList<CommandArgument> arguments, RespWriter reply)
    {
        reply.WriteArrayHeader(arguments.Count);
        foreach (var argument in arguments)
        {
            var flags = new List<string>(2);
            if (argument.Optional)
            {
                flags.Add("optional");
            }
            if (argument.Multiple)
            {
                flags.Add("multiple");
            }
            reply.WriteMapHeader(2 + (argument.KeySpecIndex >= 0 ? 1 : 0) + (argument.Token is null ? 0 : 1) + (flags.Count > 0 ? 1 : 0) + (argument.Children.Count > 0 ? 1 : 0));
            reply.WriteBulkString("name");
            reply.WriteBulkString(argument.Name);
            reply.WriteBulkString("type");
            reply.WriteBulkString(argument.Type);
            if (argument.KeySpecIndex >= 0)
            {
                reply.WriteBulkString("key_spec_index");
                reply.WriteInteger(argument.KeySpecIndex);
            }
            if (argument.Token is not null)
            {
                reply.WriteBulkString("token");
                reply.WriteBulkString(argument.Token);
            }
            if (flags.Count > 0)
            {
                reply.WriteBulkString("flags");
                WriteStatusSet(flags, reply);
            }
            if (argument.Children.Count > 0)
            {
                reply.WriteBulkString("arguments");
                WriteArguments(argument.Children, reply);
            }
        }
    }

    private static void WriteList(CommandTable table, CommandArgs args, RespWriter reply)
    {
        IEnumerable<CommandSpec> specs = table.All;
        if (args.Count == 5 && Ascii.EqualsIgnoreCase(args[2], "FILTERBY"u8))
        {
            var value = args[4].ToArray();
            if (Ascii.EqualsIgnoreCase(args[3], "MODULE"u8))
            {
                specs = [];
            }
            else if (Ascii.EqualsIgnoreCase(args[3], "ACLCAT"u8))
            {
                var category = "@" + Encoding.UTF8.GetString(value).ToLowerInvariant();
                specs = specs.Where(spec => AclCategories(spec).Contains(category));
            }
            else if (Ascii.EqualsIgnoreCase(args[3], "PATTERN"u8))
            {
                specs = specs.Where(spec => GlobMatcher.IsMatch(value, Encoding.ASCII.GetBytes(spec.Name), ignoreCase: true));
            }
            else
            {
                reply.WriteError(CommandErrors.Syntax);
                return;
            }
        }
        else if (args.Count != 2)
        {
            reply.WriteError(CommandErrors.Syntax);
            return;
        }
        var names = specs.Select(spec => spec.Name).ToList();
        reply.WriteArrayHeader(names.Count);
        foreach (var name in names)
        {
            reply.WriteBulkString(name);
        }
    }

    /// <summary>
    /// COMMAND GETKEYS / GETKEYSANDFLAGS with Redis's checks in Redis's order: a known command, one
    /// that has keys, a fitting arity, then arguments that name at least one key.
    /// </summary>
    private static void WriteGetKeys(CommandTable table, CommandArgs args, RespWriter reply, bool withFlags)
    {
        var spec = table.Lookup(args[2]);
        if (spec is null)
        {
            reply.WriteError("ERR Invalid command specified");
            return;
        }
        if (!spec.NamesKeys)
        {
            reply.WriteError("ERR The command has no key arguments");
            return;
        }
        if (!CommandArity.Check(spec.Arity, args.Count - 2))
        {
            reply.WriteError("ERR Invalid number of arguments specified for command");
            return;
        }
        using var call = new CommandArgs();
        for (var i = 2; i < args.Count; i++)
        {
            call.Add(args[i]);
        }
        var keys = new List<KeyReference>();
        if (!CommandKeys.Collect(spec, call, keys))
        {
            reply.WriteError("ERR Invalid arguments specified for command");
            return;
        }
        reply.WriteArrayHeader(keys.Count);
        foreach (var key in keys)
        {
            if (!withFlags)
            {
                reply.WriteBulkString(call[key.Position]);
                continue;
            }
            reply.WriteArrayHeader(2);
            reply.WriteBulkString(call[key.Position]);
            WriteStatusSet(key.FlagsIndex >= 0 && key.FlagsIndex < spec.KeyFlagSets.Count ? spec.KeyFlagSets[key.FlagsIndex] : [], reply);
        }
    }

    private static void WriteStatusSet(IReadOnlyList<string> items, RespWriter reply)
    {
        reply.WriteSetHeader(items.Count);
        foreach (var item in items)
        {
            reply.WriteSimpleString(item);
        }
    }
}
