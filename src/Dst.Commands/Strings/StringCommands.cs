using System.Text;
using Dst.Commands.KeySpecs;
using Dst.Commands.Storage;
using Dst.Protocol;
using static Dst.Commands.CommandFlags;

namespace Dst.Commands.Strings;

/// <summary>The string commands: their table rows and handlers, with Redis's semantics and error replies.</summary>
public static class StringCommands
{
    private const string Group = "string";

    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        new("get", 2, ReadOnly | Fast, 1, 1, 1, Group, "Returns the string value of a key.", "1.0.0", Get, "O(1)") { KeyFlags = "RO access", Syntax = "key:key" },
        new("set", -3, Write | DenyOom, 1, 1, 1, Group, "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.", "1.0.0", Set, "O(1)") { WouldChangeNothing = SetNxFindsKey, FindKeys = KeyFinders.SetWithOptionalGet, KeyFlags = "RW access update variable_flags; OW update; RW access update", Syntax = "key:key value:string [condition{nx:NX|xx:XX}] [get:GET] [expiration{EX seconds:integer|PX milliseconds:integer|EXAT unix-time-seconds:unix-time|PXAT unix-time-milliseconds:unix-time|keepttl:KEEPTTL}]" },
        new("setnx", 3, Write | DenyOom | Fast, 1, 1, 1, Group, "Set the string value of a key only when the key doesn't exist.", "1.0.0", SetNx, "O(1)") { WouldChangeNothing = KeyExists, KeyFlags = "OW insert", Syntax = "key:key value:string" },
        new("setxx", 3, Write | DenyOom | Fast, 1, 1, 1, Group, "Set the string value of a key only when the key exists (Dst).", "0.1.0", SetXx, "O(1)") { KeyFlags = "OW update", Syntax = "key:key value:string" },
        new("setex", 4, Write | DenyOom, 1, 1, 1, Group, "Sets the string value and expiration time of a key. Creates the key if it doesn't exist.", "2.0.0", SetEx, "O(1)") { KeyFlags = "OW update", Syntax = "key:key seconds:integer value:string" },
        new("psetex", 4, Write | DenyOom, 1, 1, 1, Group, "Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist.", "2.6.0", PSetEx, "O(1)") { KeyFlags = "OW update", Syntax = "key:key milliseconds:integer value:string" },
        new("getset", 3, Write | DenyOom | Fast, 1, 1, 1, Group, "Returns the previous string value of a key after setting it to a new value.", "1.0.0", GetSet, "O(1)") { KeyFlags = "RW access update", Syntax = "key:key value:string" },
        new("getdel", 2, Write | Fast | NoOpWithoutKeys, 1, 1, 1, Group, "Returns the string value of a key after deleting the key.", "6.2.0", GetDel, "O(1)") { KeyFlags = "RW access delete", Syntax = "key:key" },
        new("getex", -2, Write | Fast | NoOpWithoutKeys, 1, 1, 1, Group, "Returns the string value of a key after setting its expiration time.", "6.2.0", GetEx, "O(1)") { KeyFlags = "RW access update", Syntax = "key:key [expiration{EX seconds:integer|PX milliseconds:integer|EXAT unix-time-seconds:unix-time|PXAT unix-time-milliseconds:unix-time|persist:PERSIST}]" },
        new("mget", -2, ReadOnly | Fast, 1, -1, 1, Group, "Atomically returns the string values of one or more keys.", "1.0.0", MGet, "O(N) where N is the number of keys to retrieve.") { KeyFlags = "RO access", Syntax = "key:key..." },
        new("mset", -3, Write | DenyOom, 1, -1, 2, Group, "Atomically creates or modifies the string values of one or more keys.", "1.0.1", MSet, "O(N) where N is the number of keys to set.") { KeyFlags = "OW update", Syntax = "key_value(key:key value:string)..." },
        new("msetnx", -3, Write | DenyOom, 1, -1, 2, Group, "Atomically modifies the string values of one or more keys only when all keys don't exist.", "1.0.1", MSetNx, "O(N) where N is the number of keys to set.") { KeyFlags = "OW insert", Syntax = "key_value(key:key value:string)..." },
        new("append", 3, Write | DenyOom | Fast, 1, 1, 1, Group, "Appends a string to the value of a key. Creates the key if it doesn't exist.", "2.0.0", Append, "O(1)") { KeyFlags = "RW insert", Syntax = "key:key value:string" },
        new("strlen", 2, ReadOnly | Fast, 1, 1, 1, Group, "Returns the length of a string value.", "2.2.0", StrLen, "O(1)") { KeyFlags = "RO", Syntax = "key:key" },
        new("incr", 2, Write | DenyOom | Fast, 1, 1, 1, Group, "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.", "1.0.0", Incr, "O(1)") { KeyFlags = "RW access update", Syntax = "key:key" },
        new("decr", 2, Write | DenyOom | Fast, 1, 1, 1, Group, "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.", "1.0.0", Decr, "O(1)") { KeyFlags = "RW access update", Syntax = "key:key" },
        new("incrby", 3, Write | DenyOom | Fast, 1, 1, 1, Group, "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.", "1.0.0", IncrBy, "O(1)") { KeyFlags = "RW access update", Syntax = "key:key increment:integer" },
        new("decrby", 3, Write | DenyOom | Fast, 1, 1, 1, Group, "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.", "1.0.0", DecrBy, "O(1)") { KeyFlags = "RW access update", Syntax = "key:key decrement:integer" },
        new("incrbyfloat", 3, Write | DenyOom | Fast, 1, 1, 1, Group, "Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist.", "2.6.0", IncrByFloat, "O(1)") { KeyFlags = "RW access update", Syntax = "key:key increment:double" },
        new("getrange", 4, ReadOnly, 1, 1, 1, Group, "Returns a substring of the string stored at a key.", "2.4.0", GetRange, "O(N) where N is the length of the returned string.") { KeyFlags = "RO access", Syntax = "key:key start:integer end:integer" },
        new("setrange", 4, Write | DenyOom, 1, 1, 1, Group, "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist.", "2.2.0", SetRange, "O(1), not counting the time taken to copy the new string in place.") { KeyFlags = "RW update", Syntax = "key:key offset:integer value:string" },
    ];

    private static void Get(CommandContext context, CommandArgs args)
    {
        if (context.TryFindString(args[1], out var slot))
        {
            WriteStringOrNull(context, slot);
        }
    }

    private static void Set(CommandContext context, CommandArgs args)
    {
        if (!ExpiryArgument.TryParseOptions(args, 3, forSet: true, context.Reply, out var options, out var expiryIndex))
        {
            context.ReportNothingChanged();
            return;
        }
        var expireAt = -1L;
        if (expiryIndex > 0 && !ExpiryArgument.TryResolve(args[expiryIndex], options & SetOptions.AnyExpiry, context.NowMs, "set", context.Reply, out expireAt))
        {
            context.ReportNothingChanged();
            return;
        }
        var getOld = (options & SetOptions.Get) != 0;
        // Only SET ... GET cares about the old value's type; a plain SET overwrites any value, expired or
        // not, without looking at it first.
        var slot = (options & (SetOptions.Nx | SetOptions.Xx | SetOptions.Get | SetOptions.KeepTtl)) != 0 ? context.Keyspace.Find(args[1]) : -1;
        if (getOld && !context.TryFindString(args[1], out slot))
        {
            context.ReportNothingChanged();
            return;
        }
        if (getOld)
        {
            WriteStringOrNull(context, slot);
        }
        var found = slot >= 0;
        if ((found && (options & SetOptions.Nx) != 0) || (!found && (options & SetOptions.Xx) != 0))
        {
            context.ReportNothingChanged();
            if (!getOld)
            {
                context.Reply.WriteNull();
            }
            return;
        }
        if ((options & SetOptions.KeepTtl) != 0 && slot >= 0)
        {
            expireAt = context.Keyspace.ExpiryAt(slot);
        }
        StoreWithExpiry(context, args[1], args[2], expireAt);
        if (!getOld)
        {
            context.Reply.WriteOk();
        }
    }

    /// <summary>
    /// SET ... NX's <see cref="CommandSpec.WouldChangeNothing"/>: the key exists. NX among SET's options
    /// is either the NX option or makes SET refuse its arguments, changing nothing either way.
    /// </summary>
    private static bool SetNxFindsKey(CommandContext context, CommandArgs args)
    {
        var nx = false;
        for (var i = 3; i < args.Count && !nx; i++)
        {
            nx = Ascii.EqualsIgnoreCase(args[i], "NX"u8);
        }
        return nx && KeyExists(context, args);
    }

    /// <summary>SETNX's <see cref="CommandSpec.WouldChangeNothing"/>.</summary>
    private static bool KeyExists(CommandContext context, CommandArgs args) => context.Keyspace.Exists(args[1]);

    private static void SetNx(CommandContext context, CommandArgs args)
    {
        var exists = context.Keyspace.Exists(args[1]);
        if (exists)
        {
            context.ReportNothingChanged();
        }
        else
        {
            context.Keyspace.SetString(args[1], args[2]);
        }
        context.Reply.WriteInteger(exists ? 0 : 1);
    }

    private static void SetXx(CommandContext context, CommandArgs args)
    {
        var exists = context.Keyspace.Exists(args[1]);
        if (exists)
        {
            context.Keyspace.SetString(args[1], args[2]);
        }
        else
        {
            context.ReportNothingChanged();
        }
        context.Reply.WriteInteger(exists ? 1 : 0);
    }

    private static void SetEx(CommandContext context, CommandArgs args) => SetWithExpiry(context, args, SetOptions.Ex, "setex");

    private static void PSetEx(CommandContext context, CommandArgs args) => SetWithExpiry(context, args, SetOptions.Px, "psetex");

    private static void SetWithExpiry(CommandContext context, CommandArgs args, SetOptions unit, string name)
    {
        if (ExpiryArgument.TryResolve(args[2], unit, context.NowMs, name, context.Reply, out var expireAt))
        {
            context.Keyspace.SetString(args[1], args[3], expireAt);
            context.Reply.WriteOk();
        }
    }

    private static void GetSet(CommandContext context, CommandArgs args)
    {
        if (context.TryFindString(args[1], out var slot))
        {
            WriteStringOrNull(context, slot);
            context.Keyspace.SetString(args[1], args[2]);
        }
    }

    private static void GetDel(CommandContext context, CommandArgs args)
    {
        if (context.TryFindString(args[1], out var slot))
        {
            WriteStringOrNull(context, slot);
            if (slot >= 0)
            {
                context.Keyspace.DeleteAt(slot);
            }
        }
    }

    private static void GetEx(CommandContext context, CommandArgs args)
    {
        if (!ExpiryArgument.TryParseOptions(args, 2, forSet: false, context.Reply, out var options, out var expiryIndex))
        {
            return;
        }
        // As Redis: a missing key or another type is answered before the expiry's value is checked.
        if (!context.TryFindString(args[1], out var slot))
        {
            return;
        }
        if (slot < 0)
        {
            WriteStringOrNull(context, slot);
            return;
        }
        var expireAt = -1L;
        var unit = options & SetOptions.AnyExpiry;
        if (expiryIndex > 0 && !ExpiryArgument.TryResolve(args[expiryIndex], unit, context.NowMs, "getex", context.Reply, out expireAt))
        {
            return;
        }
        WriteStringOrNull(context, slot);
        if (unit is SetOptions.ExAt or SetOptions.PxAt && expireAt <= context.NowMs)
        {
            context.Keyspace.DeleteAt(slot);
        }
        else if (unit != SetOptions.None)
        {
            context.Keyspace.SetExpiryAt(slot, expireAt);
        }
        else if ((options & SetOptions.Persist) != 0)
        {
            context.Keyspace.SetExpiryAt(slot, -1);
        }
    }

    private static void MGet(CommandContext context, CommandArgs args)
    {
        var keyspace = context.Keyspace;
        context.Reply.WriteArrayHeader(args.Count - 1);
        for (var i = 1; i < args.Count; i++)
        {
            var slot = keyspace.Find(args[i]);
            if (slot >= 0 && keyspace.KindAt(slot) == ValueKind.String)
            {
                WriteString(context.Reply, keyspace, slot);
            }
            else
            {
                context.Reply.WriteNull();
            }
        }
    }

    private static void MSet(CommandContext context, CommandArgs args)
    {
        if (args.Count % 2 == 0)
        {
            context.Reply.WriteError(CommandErrors.WrongArity("mset"));
            return;
        }
        for (var i = 1; i < args.Count; i += 2)
        {
            context.Keyspace.SetString(args[i], args[i + 1]);
        }
        context.Reply.WriteOk();
    }

    private static void MSetNx(CommandContext context, CommandArgs args)
    {
        if (args.Count % 2 == 0)
        {
            context.ReportNothingChanged();
            context.Reply.WriteError(CommandErrors.WrongArity("msetnx"));
            return;
        }
        for (var i = 1; i < args.Count; i += 2)
        {
            if (context.Keyspace.Exists(args[i]))
            {
                context.ReportNothingChanged();
                context.Reply.WriteInteger(0);
                return;
            }
        }
        for (var i = 1; i < args.Count; i += 2)
        {
            context.Keyspace.SetString(args[i], args[i + 1]);
        }
        context.Reply.WriteInteger(1);
    }

    private static void Append(CommandContext context, CommandArgs args)
    {
        if (!context.TryFindString(args[1], out var slot))
        {
            return;
        }
        var keyspace = context.Keyspace;
        var suffix = args[2];
        if (slot < 0)
        {
            suffix.CopyTo(keyspace.SetStringUninitialized(args[1], suffix.Length, -1));
            context.Reply.WriteInteger(suffix.Length);
            return;
        }
        Span<byte> scratch = stackalloc byte[StringValue.MaxIntegerLength];
        var current = keyspace.StringAt(slot).AsBytes(scratch);
        if (!CheckLength(context, current.Length, suffix.Length))
        {
            return;
        }
        // The old value stays reachable through `current` while the new array is filled.
        var value = keyspace.SetStringUninitialized(args[1], current.Length + suffix.Length, keyspace.ExpiryAt(slot));
        current.CopyTo(value);
        suffix.CopyTo(value[current.Length..]);
        context.Reply.WriteInteger(value.Length);
    }

    private static void StrLen(CommandContext context, CommandArgs args)
    {
        if (context.TryFindString(args[1], out var slot))
        {
            context.Reply.WriteInteger(slot < 0 ? 0 : context.Keyspace.StringAt(slot).Length);
        }
    }

    private static void Incr(CommandContext context, CommandArgs args) => IncrementBy(context, args[1], 1);

    private static void Decr(CommandContext context, CommandArgs args) => IncrementBy(context, args[1], -1);

    private static void IncrBy(CommandContext context, CommandArgs args)
    {
        if (context.TryParseInteger(args[2], out var increment))
        {
            IncrementBy(context, args[1], increment);
        }
    }

    private static void DecrBy(CommandContext context, CommandArgs args)
    {
        if (!context.TryParseInteger(args[2], out var decrement))
        {
            return;
        }
        if (decrement == long.MinValue)
        {
            context.Reply.WriteError("ERR decrement would overflow");
            return;
        }
        IncrementBy(context, args[1], -decrement);
    }

    private static void IncrementBy(CommandContext context, ReadOnlySpan<byte> key, long increment)
    {
        if (!context.TryFindString(key, out var slot))
        {
            return;
        }
        var keyspace = context.Keyspace;
        var current = 0L;
        if (slot >= 0 && !keyspace.StringAt(slot).TryGetInteger(out current))
        {
            context.Reply.WriteError(CommandErrors.NotInteger);
            return;
        }
        if ((increment < 0 && current < 0 && increment < long.MinValue - current)
            || (increment > 0 && current > 0 && increment > long.MaxValue - current))
        {
            context.Reply.WriteError(CommandErrors.Overflow);
            return;
        }
        var result = current + increment;
        if (slot >= 0)
        {
            keyspace.SetIntegerAt(slot, result);
        }
        else
        {
            keyspace.SetInteger(key, result);
        }
        context.Reply.WriteInteger(result);
    }

    private static void IncrByFloat(CommandContext context, CommandArgs args)
    {
        if (!context.TryFindString(args[1], out var slot))
        {
            return;
        }
        var keyspace = context.Keyspace;
        var current = default(LongDouble);
        Span<byte> scratch = stackalloc byte[StringValue.MaxIntegerLength];
        if ((slot >= 0 && !LongDouble.TryParse(keyspace.StringAt(slot).AsBytes(scratch), out current))
            || !LongDouble.TryParse(args[2], out var increment))
        {
            context.Reply.WriteError(CommandErrors.NotFloat);
            return;
        }
        var result = current + increment;
        if (!result.IsFiniteNumber)
        {
            context.Reply.WriteError(CommandErrors.NaNOrInfinity);
            return;
        }
        var text = result.ToHumanText();
        keyspace.SetString(args[1], text, slot >= 0 ? keyspace.ExpiryAt(slot) : -1);
        context.Reply.WriteBulkString(text);
    }

    private static void GetRange(CommandContext context, CommandArgs args)
    {
        if (!context.TryParseInteger(args[2], out var start) || !context.TryParseInteger(args[3], out var end)
            || !context.TryFindString(args[1], out var slot))
        {
            return;
        }
        if (slot < 0)
        {
            context.Reply.WriteBulkString([]);
            return;
        }
        Span<byte> scratch = stackalloc byte[StringValue.MaxIntegerLength];
        var value = context.Keyspace.StringAt(slot).AsBytes(scratch);
        long length = value.Length;
        if (start < 0 && end < 0 && start > end)
        {
            context.Reply.WriteBulkString([]);
            return;
        }
        start = Math.Max(0, start < 0 ? length + start : start);
        end = Math.Max(0, end < 0 ? length + end : end);
        end = Math.Min(end, length - 1);
        if (start > end || length == 0)
        {
            context.Reply.WriteBulkString([]);
            return;
        }
        context.Reply.WriteBulkString(value.Slice((int)start, (int)(end - start + 1)));
    }

    private static void SetRange(CommandContext context, CommandArgs args)
    {
        if (!context.TryParseInteger(args[2], out var offset))
        {
            return;
        }
        if (offset < 0)
        {
            context.Reply.WriteError(CommandErrors.OffsetOutOfRange);
            return;
        }
        if (!context.TryFindString(args[1], out var slot))
        {
            return;
        }
        var keyspace = context.Keyspace;
        var patch = args[3];
        Span<byte> scratch = stackalloc byte[StringValue.MaxIntegerLength];
        var current = slot >= 0 ? keyspace.StringAt(slot).AsBytes(scratch) : [];
        if (patch.Length == 0)
        {
            context.Reply.WriteInteger(current.Length);
            return;
        }
        if (!CheckLength(context, offset, patch.Length))
        {
            return;
        }
        var length = (int)Math.Max(current.Length, offset + patch.Length);
        var value = keyspace.SetStringUninitialized(args[1], length, slot >= 0 ? keyspace.ExpiryAt(slot) : -1);
        current.CopyTo(value);
        value[current.Length..].Clear();
        patch.CopyTo(value[(int)offset..]);
        context.Reply.WriteInteger(length);
    }

    /// <summary>Redis's <c>checkStringLength</c>: the result may not exceed proto-max-bulk-len.</summary>
    private static bool CheckLength(CommandContext context, long size, long append)
    {
        // Written so that no sum overflows: SETRANGE's offset can be as large as a long.
        var limit = Math.Min(context.Options.ProtoMaxBulkLen, Array.MaxLength - 64);
        if (size <= limit && append <= limit - size)
        {
            return true;
        }
        context.Reply.WriteError(CommandErrors.StringTooLong);
        return false;
    }

    /// <summary>Stores a string with an absolute expiry; an expiry already in the past deletes the key instead.</summary>
    internal static void StoreWithExpiry(CommandContext context, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long expireAt)
    {
        if (expireAt >= 0 && expireAt <= context.NowMs)
        {
            context.Keyspace.Delete(key);
            return;
        }
        context.Keyspace.SetString(key, value, expireAt);
    }

    private static void WriteStringOrNull(CommandContext context, int slot)
    {
        if (slot < 0)
        {
            context.Reply.WriteNull();
        }
        else
        {
            WriteString(context.Reply, context.Keyspace, slot);
        }
    }

    internal static void WriteString(RespWriter reply, Keyspace keyspace, int slot)
    {
        var value = keyspace.StringAt(slot);
        if (value.IsInteger)
        {
            Span<byte> scratch = stackalloc byte[StringValue.MaxIntegerLength];
            reply.WriteBulkString(value.AsBytes(scratch));
        }
        else
        {
            reply.WriteBulkString(value.AsBytes([]));
        }
    }
}
