using Dst.Commands.Storage;
using Dst.Commands.Strings;
using Dst.Protocol;
using static Dst.Commands.CommandFlags;

namespace Dst.Commands.Hashes;

/// <summary>
/// The hash commands: their table rows and handlers, with Redis's semantics and error replies.
/// A hash that loses its last field is deleted; a failed command never leaves an empty hash behind.
/// HSCAN and HRANDFIELD are in <c>HashIterationCommands.cs</c>.
/// </summary>
public static partial class HashCommands
{
    private const string Group = "hash";

    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        new("hset", -4, Write | DenyOom | Fast, 1, 1, 1, Group, "Creates or modifies the value of a field in a hash.", "2.0.0", HSet, "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.") { KeyFlags = "RW update", Syntax = "key:key field_value(field:string value:string)..." },
        new("hmset", -4, Write | DenyOom | Fast, 1, 1, 1, Group, "Sets the values of multiple fields.", "2.0.0", HMSet, "O(N) where N is the number of fields being set.") { KeyFlags = "RW update", Syntax = "key:key field_value(field:string value:string)..." },
        new("hsetnx", 4, Write | DenyOom | Fast, 1, 1, 1, Group, "Sets the value of a field in a hash only when the field doesn't exist.", "2.0.0", HSetNx, "O(1)") { WouldChangeNothing = HSetNxFindsField, KeyFlags = "RW insert", Syntax = "key:key field:string value:string" },
        new("hget", 3, ReadOnly | Fast, 1, 1, 1, Group, "Returns the value of a field in a hash.", "2.0.0", HGet, "O(1)") { KeyFlags = "RO access", Syntax = "key:key field:string" },
        new("hmget", -3, ReadOnly | Fast, 1, 1, 1, Group, "Returns the values of all fields in a hash.", "2.0.0", HMGet, "O(N) where N is the number of fields being requested.") { KeyFlags = "RO access", Syntax = "key:key field:string..." },
        new("hgetall", 2, ReadOnly, 1, 1, 1, Group, "Returns all fields and values in a hash.", "2.0.0", HGetAll, "O(N) where N is the size of the hash.") { KeyFlags = "RO access", Syntax = "key:key" },
        new("hkeys", 2, ReadOnly, 1, 1, 1, Group, "Returns all fields in a hash.", "2.0.0", HKeys, "O(N) where N is the size of the hash.") { KeyFlags = "RO access", Syntax = "key:key" },
        new("hvals", 2, ReadOnly, 1, 1, 1, Group, "Returns all values in a hash.", "2.0.0", HVals, "O(N) where N is the size of the hash.") { KeyFlags = "RO access", Syntax = "key:key" },
        new("hdel", -3, Write | Fast | NoOpWithoutKeys, 1, 1, 1, Group, "Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain.", "2.0.0", HDel, "O(N) where N is the number of fields to be removed.") { KeyFlags = "RW delete", Syntax = "key:key field:string..." },
        new("hexists", 3, ReadOnly | Fast, 1, 1, 1, Group, "Determines whether a field exists in a hash.", "2.0.0", HExists, "O(1)") { KeyFlags = "RO", Syntax = "key:key field:string" },
        new("hlen", 2, ReadOnly | Fast, 1, 1, 1, Group, "Returns the number of fields in a hash.", "2.0.0", HLen, "O(1)") { KeyFlags = "RO", Syntax = "key:key" },
        new("hstrlen", 3, ReadOnly | Fast, 1, 1, 1, Group, "Returns the length of the value of a field.", "3.2.0", HStrLen, "O(1)") { KeyFlags = "RO", Syntax = "key:key field:string" },
        new("hincrby", 4, Write | DenyOom | Fast, 1, 1, 1, Group, "Increments the integer value of a field in a hash by a number. Uses 0 as initial value if the field doesn't exist.", "2.0.0", HIncrBy, "O(1)") { KeyFlags = "RW access update", Syntax = "key:key field:string increment:integer" },
        new("hincrbyfloat", 4, Write | DenyOom | Fast, 1, 1, 1, Group, "Increments the floating point value of a field by a number. Uses 0 as initial value if the field doesn't exist.", "2.6.0", HIncrByFloat, "O(1)") { KeyFlags = "RW access update", Syntax = "key:key field:string increment:double" },
        new("hscan", -3, ReadOnly, 1, 1, 1, Group, "Iterates over fields and values of a hash.", "2.8.0", HScan, "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.") { KeyFlags = "RO access", Syntax = "key:key cursor:integer [MATCH pattern:pattern] [COUNT count:integer]" },
        new("hrandfield", -2, ReadOnly, 1, 1, 1, Group, "Returns one or more random fields from a hash.", "6.2.0", HRandField, "O(N) where N is the number of fields returned") { KeyFlags = "RO access", Syntax = "key:key [options(count:integer [withvalues:WITHVALUES])]" },
    ];

    private static void HSet(CommandContext context, CommandArgs args)
    {
        if (SetPairs(context, args, "hset", out var added))
        {
            context.Reply.WriteInteger(added);
        }
    }

    private static void HMSet(CommandContext context, CommandArgs args)
    {
        if (SetPairs(context, args, "hmset", out _))
        {
            context.Reply.WriteOk();
        }
    }

    /// <summary>Sets every field/value pair from argument 2 on; false after replying with an error.</summary>
    private static bool SetPairs(CommandContext context, CommandArgs args, string name, out int added)
    {
        added = 0;
        if (args.Count % 2 != 0)
        {
            context.Reply.WriteError(CommandErrors.WrongArity(name));
            return false;
        }
        if (!context.TryFindObject<HashObject>(args[1], out var hash))
        {
            return false;
        }
        hash ??= Create(context, args[1]);
        for (var i = 2; i < args.Count; i += 2)
        {
            added += hash.Set(args[i], args[i + 1], context.Options) ? 1 : 0;
        }
        return true;
    }

    /// <summary>HSETNX's <see cref="CommandSpec.WouldChangeNothing"/>: the hash has the field.</summary>
    private static bool HSetNxFindsField(CommandContext context, CommandArgs args) =>
        context.Keyspace.FindObject<HashObject>(args[1])?.Contains(args[2]) == true;

    private static void HSetNx(CommandContext context, CommandArgs args)
    {
        if (!context.TryFindObject<HashObject>(args[1], out var hash))
        {
            context.ReportNothingChanged();
            return;
        }
        if (hash is not null && hash.Contains(args[2]))
        {
            context.ReportNothingChanged();
            context.Reply.WriteInteger(0);
            return;
        }
        (hash ?? Create(context, args[1])).Set(args[2], args[3], context.Options);
        context.Reply.WriteInteger(1);
    }

    private static void HGet(CommandContext context, CommandArgs args)
    {
        if (!context.TryFindObject<HashObject>(args[1], out var hash))
        {
            return;
        }
        if (hash is not null && hash.TryGet(args[2], out var value))
        {
            context.Reply.WriteBulkString(value);
        }
        else
        {
            context.Reply.WriteNull();
        }
    }

    private static void HMGet(CommandContext context, CommandArgs args)
    {
        if (!context.TryFindObject<HashObject>(args[1], out var hash))
        {
            return;
        }
        context.Reply.WriteArrayHeader(args.Count - 2);
        for (var i = 2; i < args.Count; i++)
        {
            if (hash is not null && hash.TryGet(args[i], out var value))
            {
                context.Reply.WriteBulkString(value);
            }
            else
            {
                context.Reply.WriteNull();
            }
        }
    }

    private static void HGetAll(CommandContext context, CommandArgs args)
    {
        if (!context.TryFindObject<HashObject>(args[1], out var hash))
        {
            return;
        }
        context.Reply.WriteMapHeader(hash?.Count ?? 0);
        if (hash is null)
        {
            return;
        }
        foreach (var pair in hash)
        {
            context.Reply.WriteBulkString(pair.Field);
            context.Reply.WriteBulkString(pair.Value);
        }
    }

    private static void HKeys(CommandContext context, CommandArgs args) => WriteHalf(context, args, fields: true);

    private static void HVals(CommandContext context, CommandArgs args) => WriteHalf(context, args, fields: false);

    private static void WriteHalf(CommandContext context, CommandArgs args, bool fields)
    {
        if (!context.TryFindObject<HashObject>(args[1], out var hash))
        {
            return;
        }
        context.Reply.WriteArrayHeader(hash?.Count ?? 0);
        if (hash is null)
        {
            return;
        }
        foreach (var pair in hash)
        {
            context.Reply.WriteBulkString(fields ? pair.Field : pair.Value);
        }
    }

    private static void HDel(CommandContext context, CommandArgs args)
    {
        if (!context.TryFindObject<HashObject>(args[1], out var hash))
        {
            context.ReportNothingChanged();
            return;
        }
        var deleted = 0;
        for (var i = 2; hash is not null && i < args.Count; i++)
        {
            deleted += hash.Remove(args[i]) ? 1 : 0;
        }
        DeleteIfEmpty(context, hash);
        if (deleted == 0)
        {
            context.ReportNothingChanged();
        }
        context.Reply.WriteInteger(deleted);
    }

    private static void HExists(CommandContext context, CommandArgs args)
    {
        if (context.TryFindObject<HashObject>(args[1], out var hash))
        {
            context.Reply.WriteInteger(hash is not null && hash.Contains(args[2]) ? 1 : 0);
        }
    }

    private static void HLen(CommandContext context, CommandArgs args)
    {
        if (context.TryFindObject<HashObject>(args[1], out var hash))
        {
            context.Reply.WriteInteger(hash?.Count ?? 0);
        }
    }

    private static void HStrLen(CommandContext context, CommandArgs args)
    {
        if (context.TryFindObject<HashObject>(args[1], out var hash))
        {
            context.Reply.WriteInteger(hash is not null && hash.TryGet(args[2], out var value) ? value.Length : 0);
        }
    }

    private static void HIncrBy(CommandContext context, CommandArgs args)
    {
        if (!context.TryParseInteger(args[3], out var increment) || !context.TryFindObject<HashObject>(args[1], out var hash))
        {
            return;
        }
        var current = 0L;
        if (hash is not null && hash.TryGet(args[2], out var text) && !Integers.TryParse(text, out current))
        {
            context.Reply.WriteError(CommandErrors.HashValueNotInteger);
            return;
        }
        if ((increment < 0 && current < 0 && increment < long.MinValue - current)
            || (increment > 0 && current > 0 && increment > long.MaxValue - current))
        {
            context.Reply.WriteError(CommandErrors.Overflow);
            return;
        }
        var result = current + increment;
        Span<byte> digits = stackalloc byte[StringValue.MaxIntegerLength];
        System.Buffers.Text.Utf8Formatter.TryFormat(result, digits, out var written);
        (hash ?? Create(context, args[1])).Set(args[2], digits[..written], context.Options);
        context.Reply.WriteInteger(result);
    }

    private static void HIncrByFloat(CommandContext context, CommandArgs args)
    {
        // Redis 7.0's hincrbyfloatCommand: the increment is refused before the key is looked at.
        if (!LongDouble.TryParse(args[3], out var increment))
        {
            context.Reply.WriteError(CommandErrors.NotFloat);
            return;
        }
        if (!increment.IsFiniteNumber)
        {
            context.Reply.WriteError(CommandErrors.ValueNaNOrInfinity);
            return;
        }
        if (!context.TryFindObject<HashObject>(args[1], out var hash))
        {
            return;
        }
        var current = default(LongDouble);
        if (hash is not null && hash.TryGet(args[2], out var text) && !LongDouble.TryParse(text, out current))
        {
            context.Reply.WriteError(CommandErrors.HashValueNotFloat);
            return;
        }
        var result = current + increment;
        if (!result.IsFiniteNumber)
        {
            context.Reply.WriteError(CommandErrors.NaNOrInfinity);
            return;
        }
        var formatted = result.ToHumanText();
        (hash ?? Create(context, args[1])).Set(args[2], formatted, context.Options);
        context.Reply.WriteBulkString(formatted);
    }

    private static HashObject Create(CommandContext context, ReadOnlySpan<byte> key)
    {
        var hash = new HashObject(key.ToArray());
        context.Keyspace.SetObject(hash);
        return hash;
    }

    private static void DeleteIfEmpty(CommandContext context, HashObject? hash)
    {
        if (hash is not null && hash.Count == 0)
        {
            context.Keyspace.Delete(hash.Key);
        }
    }
}
