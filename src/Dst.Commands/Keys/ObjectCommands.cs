using Dst.Commands.Storage;
using Dst.Protocol;
using static Dst.Commands.CommandFlags;

namespace Dst.Commands.Keys;

/// <summary>
/// OBJECT (ENCODING, REFCOUNT, IDLETIME, FREQ, HELP) and MEMORY (USAGE, HELP): what a key's value
/// looks like inside. Encodings carry Redis's names; strings answer int, embstr (at most 44 bytes) or raw.
/// </summary>
public static class ObjectCommands
{
    /// <summary>Redis keeps strings of up to 44 bytes in the object allocation itself ("embstr").</summary>
    private const int EmbeddedStringLimit = 44;

    /// <summary>Redis shares the integers 0..9999 and reports them with this reference count.</summary>
    private const int SharedIntegers = 10_000;
    private const long SharedRefCount = int.MaxValue;

    /// <summary>One keyspace slot: a 32-bit hash and a reference.</summary>
    private const int SlotBytes = sizeof(uint) + 8;

    private const string FreqNotTracked = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
    private const string IdleTimeNotTracked = "ERR idle time is not tracked: reads never modify the replicated keyspace, so Dst keeps no per-key access clock";

    private static readonly string[] ObjectHelp =
    [
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Print this help.",
    ];

    private static readonly string[] MemoryHelp =
    [
        "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    counted exactly (SAMPLES is accepted for compatibility).",
        "HELP",
        "    Print this help.",
    ];

    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        new("object", -2, ReadOnly, 2, 2, 1, "generic", "A container for object introspection commands.", "2.2.3", Object, "Depends on subcommand.") { KeyFlags = "RO", Syntax = "subcommand{ENCODING key:key|FREQ key:key|IDLETIME key:key|REFCOUNT key:key|help:HELP}" },
        new("memory", -2, ReadOnly, 2, 2, 1, "server", "A container for memory diagnostics commands.", "4.0.0", Memory, "Depends on subcommand.") { KeyFlags = "RO", Syntax = "subcommand{USAGE usage(key:key [SAMPLES count:integer])|help:HELP}" },
    ];

    private static void Object(CommandContext context, CommandArgs args)
    {
        if (args.EqualsIgnoreCase(1, "HELP"u8))
        {
            if (args.Count == 2)
            {
                WriteLines(context.Reply, ObjectHelp);
            }
            else
            {
                context.Reply.WriteError(CommandErrors.WrongArity("object|help"));
            }
            return;
        }
        var name = args.EqualsIgnoreCase(1, "ENCODING"u8) ? "encoding"
            : args.EqualsIgnoreCase(1, "REFCOUNT"u8) ? "refcount"
            : args.EqualsIgnoreCase(1, "IDLETIME"u8) ? "idletime"
            : args.EqualsIgnoreCase(1, "FREQ"u8) ? "freq"
            : null;
        if (name is null)
        {
            context.Reply.WriteError(CommandErrors.UnknownSubcommand(args[1], "object"));
            return;
        }
        if (args.Count != 3)
        {
            context.Reply.WriteError(CommandErrors.WrongArity("object|" + name));
            return;
        }
        var keyspace = context.Keyspace;
        var slot = keyspace.Find(args[2]);
        if (slot < 0)
        {
            context.Reply.WriteNull();
            return;
        }
        switch (name)
        {
            case "encoding":
                context.Reply.WriteBulkString(EncodingOf(keyspace, slot));
                break;
            case "refcount":
                context.Reply.WriteInteger(IsSharedInteger(keyspace, slot) ? SharedRefCount : 1);
                break;
            case "idletime":
                context.Reply.WriteError(IdleTimeNotTracked);
                break;
            default:
                context.Reply.WriteError(FreqNotTracked);
                break;
        }
    }

    private static void Memory(CommandContext context, CommandArgs args)
    {
        if (args.EqualsIgnoreCase(1, "HELP"u8))
        {
            if (args.Count == 2)
            {
                WriteLines(context.Reply, MemoryHelp);
            }
            else
            {
                context.Reply.WriteError(CommandErrors.WrongArity("memory|help"));
            }
            return;
        }
        if (!args.EqualsIgnoreCase(1, "USAGE"u8))
        {
            context.Reply.WriteError(CommandErrors.UnknownSubcommand(args[1], "memory"));
            return;
        }
        if (args.Count < 3)
        {
            context.Reply.WriteError(CommandErrors.WrongArity("memory|usage"));
            return;
        }
        for (var i = 3; i < args.Count; i += 2)
        {
            if (!args.EqualsIgnoreCase(i, "SAMPLES"u8) || i + 1 >= args.Count)
            {
                context.Reply.WriteError(CommandErrors.Syntax);
                return;
            }
            if (!context.TryParseInteger(args[i + 1], out var samples))
            {
                return;
            }
            if (samples < 0)
            {
                context.Reply.WriteError(CommandErrors.Syntax);
                return;
            }
        }
        var keyspace = context.Keyspace;
        var slot = keyspace.Find(args[2]);
        if (slot < 0)
        {
            context.Reply.WriteNull();
            return;
        }
        context.Reply.WriteInteger(SlotBytes + (keyspace.KindAt(slot) == ValueKind.String
            ? PackedStringBytes(keyspace, slot)
            : keyspace.ObjectAt(slot).EstimateMemoryUsage()));
    }

    private static bool IsSharedInteger(Keyspace keyspace, int slot)
    {
        if (keyspace.KindAt(slot) != ValueKind.String)
        {
            return false;
        }
        var value = keyspace.StringAt(slot);
        return value.IsInteger && value.TryGetInteger(out var integer) && integer is >= 0 and < SharedIntegers;
    }

    private static string EncodingOf(Keyspace keyspace, int slot)
    {
        if (keyspace.KindAt(slot) != ValueKind.String)
        {
            return keyspace.ObjectAt(slot).EncodingName;
        }
        var value = keyspace.StringAt(slot);
        return value.IsInteger ? "int" : value.Length <= EmbeddedStringLimit ? "embstr" : "raw";
    }

    /// <summary>The packed array of a string key: header, expiry, key length, key, value; a 24-byte array header, rounded to 8.</summary>
    private static long PackedStringBytes(Keyspace keyspace, int slot)
    {
        var key = keyspace.KeyAt(slot);
        var value = keyspace.StringAt(slot);
        var data = 1 + (keyspace.ExpiryAt(slot) >= 0 ? sizeof(long) : 0) + Varint.SizeOf((ulong)key.Length) + key.Length
            + (value.IsInteger ? sizeof(long) : value.Length);
        return 24 + ((data + 7L) & ~7L);
    }

    private static void WriteLines(RespWriter reply, string[] lines)
    {
        reply.WriteArrayHeader(lines.Length);
        foreach (var line in lines)
        {
            reply.WriteSimpleString(line);
        }
    }
}
