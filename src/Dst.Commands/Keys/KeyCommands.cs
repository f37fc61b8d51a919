using System.Buffers.Text;
using System.Text;
using Dst.Commands.Storage;
using Dst.Protocol;
using static Dst.Commands.CommandFlags;

namespace Dst.Commands.Keys;

/// <summary>The generic key commands (Redis's "generic" group): existence, type, expiry, renaming, iteration.</summary>
public static class KeyCommands
{
    private const string Group = "generic";

    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        new("del", -2, Write | NoOpWithoutKeys, 1, -1, 1, Group, "Deletes one or more keys.", "1.0.0", Del, "O(N) where N is the number of keys that will be removed.") { KeyFlags = "RM delete", Syntax = "key:key..." },
        new("unlink", -2, Write | Fast | NoOpWithoutKeys, 1, -1, 1, Group, "Asynchronously deletes one or more keys.", "4.0.0", Del, "O(1) for each key removed regardless of its size.") { KeyFlags = "RM delete", Syntax = "key:key..." },
        new("exists", -2, ReadOnly | Fast, 1, -1, 1, Group, "Determines whether one or more keys exist.", "1.0.0", Exists, "O(N) where N is the number of keys to check.") { KeyFlags = "RO", Syntax = "key:key..." },
        new("touch", -2, ReadOnly | Fast, 1, -1, 1, Group, "Returns the number of existing keys out of those specified after updating the time they were last accessed.", "3.2.1", Exists, "O(N) where N is the number of keys that will be touched.") { KeyFlags = "RO", Syntax = "key:key..." },
        new("type", 2, ReadOnly | Fast, 1, 1, 1, Group, "Determines the type of value stored at a key.", "1.0.0", Type, "O(1)") { KeyFlags = "RO", Syntax = "key:key" },
        new("expire", -3, Write | Fast | NoOpWithoutKeys, 1, 1, 1, Group, "Sets the expiration time of a key in seconds.", "1.0.0", (c, a) => Expire(c, a, seconds: true, absolute: false), "O(1)") { KeyFlags = "RW update", Syntax = "key:key seconds:integer [condition{nx:NX|xx:XX|gt:GT|lt:LT}]" },
        new("pexpire", -3, Write | Fast | NoOpWithoutKeys, 1, 1, 1, Group, "Sets the expiration time of a key in milliseconds.", "2.6.0", (c, a) => Expire(c, a, seconds: false, absolute: false), "O(1)") { KeyFlags = "RW update", Syntax = "key:key milliseconds:integer [condition{nx:NX|xx:XX|gt:GT|lt:LT}]" },
        new("expireat", -3, Write | Fast | NoOpWithoutKeys, 1, 1, 1, Group, "Sets the expiration time of a key to a Unix timestamp.", "1.2.0", (c, a) => Expire(c, a, seconds: true, absolute: true), "O(1)") { KeyFlags = "RW update", Syntax = "key:key unix-time-seconds:unix-time [condition{nx:NX|xx:XX|gt:GT|lt:LT}]" },
        new("pexpireat", -3, Write | Fast | NoOpWithoutKeys, 1, 1, 1, Group, "Sets the expiration time of a key to a Unix milliseconds timestamp.", "2.6.0", (c, a) => Expire(c, a, seconds: false, absolute: true), "O(1)") { KeyFlags = "RW update", Syntax = "key:key unix-time-milliseconds:unix-time [condition{nx:NX|xx:XX|gt:GT|lt:LT}]" },
        new("ttl", 2, ReadOnly | Fast, 1, 1, 1, Group, "Returns the expiration time in seconds of a key.", "1.0.0", (c, a) => Ttl(c, a, milliseconds: false, absolute: false), "O(1)") { KeyFlags = "RO access", Syntax = "key:key" },
        new("pttl", 2, ReadOnly | Fast, 1, 1, 1, Group, "Returns the expiration time in milliseconds of a key.", "2.6.0", (c, a) => Ttl(c, a, milliseconds: true, absolute: false), "O(1)") { KeyFlags = "RO access", Syntax = "key:key" },
        new("expiretime", 2, ReadOnly | Fast, 1, 1, 1, Group, "Returns the expiration time of a key as a Unix timestamp.", "7.0.0", (c, a) => Ttl(c, a, milliseconds: false, absolute: true), "O(1)") { KeyFlags = "RO access", Syntax = "key:key" },
        new("pexpiretime", 2, ReadOnly | Fast, 1, 1, 1, Group, "Returns the expiration time of a key as a Unix milliseconds timestamp.", "7.0.0", (c, a) => Ttl(c, a, milliseconds: true, absolute: true), "O(1)") { KeyFlags = "RO access", Syntax = "key:key" },
        new("persist", 2, Write | Fast | NoOpWithoutKeys, 1, 1, 1, Group, "Removes the expiration time of a key.", "2.2.0", Persist, "O(1)") { KeyFlags = "RW update", Syntax = "key:key" },
        new("rename", 3, Write | NoOpWithoutKeys, 1, 2, 1, Group, "Renames a key and overwrites the destination.", "1.0.0", (c, a) => Rename(c, a, onlyIfAbsent: false), "O(1)") { KeyFlags = "RW access delete; OW update", Syntax = "key:key newkey:key" },
        new("renamenx", 3, Write | Fast | NoOpWithoutKeys, 1, 2, 1, Group, "Renames a key only when the target key name doesn't exist.", "1.0.0", (c, a) => Rename(c, a, onlyIfAbsent: true), "O(1)") { KeyFlags = "RW access delete; OW insert", Syntax = "key:key newkey:key" },
        new("copy", -3, Write | DenyOom, 1, 2, 1, Group, "Copies the value of a key to a new key.", "6.2.0", Copy, "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.") { KeyFlags = "RO access; OW update", Syntax = "source:key destination:key [DB destination-db:integer] [replace:REPLACE]" },
        new("keys", 2, ReadOnly, 0, 0, 0, Group, "Returns all key names that match a pattern.", "1.0.0", Keys, "O(N) with N being the number of keys in the database") { Syntax = "pattern:pattern" },
        new("scan", -2, ReadOnly, 0, 0, 0, Group, "Iterates over the key names in the database.", "2.8.0", Scan, "O(1) for every call. O(N) for a complete iteration.") { Syntax = "cursor:integer [MATCH pattern:pattern] [COUNT count:integer] [TYPE type:string]" },
        new("randomkey", 1, ReadOnly, 0, 0, 0, Group, "Returns a random key name from the database.", "1.0.0", RandomKey, "O(1)"),
        new("dbsize", 1, ReadOnly | Fast, 0, 0, 0, "server", "Returns the number of keys in the database.", "1.0.0", DbSize, "O(1)"),
        new("flushdb", -1, Write, 0, 0, 0, "server", "Removes all keys from the current database.", "1.0.0", Flush, "O(N) where N is the number of keys in the selected database") { Syntax = "[async{async:ASYNC|sync:SYNC}]" },
        new("flushall", -1, Write, 0, 0, 0, "server", "Removes all keys from all databases.", "1.0.0", Flush, "O(N) where N is the total number of keys in all databases") { Syntax = "[async{async:ASYNC|sync:SYNC}]" },
    ];

    private static void Del(CommandContext context, CommandArgs args)
    {
        var deleted = 0;
        for (var i = 1; i < args.Count; i++)
        {
            if (context.Keyspace.Delete(args[i]))
            {
                deleted++;
                context.ReportChangedKey(i);
            }
        }
        if (deleted == 0)
        {
            context.ReportNothingChanged();
        }
        context.Reply.WriteInteger(deleted);
    }

    private static void Exists(CommandContext context, CommandArgs args)
    {
        var found = 0;
        for (var i = 1; i < args.Count; i++)
        {
            found += context.Keyspace.Exists(args[i]) ? 1 : 0;
        }
        context.Reply.WriteInteger(found);
    }

    private static void Type(CommandContext context, CommandArgs args)
    {
        var slot = context.Keyspace.Find(args[1]);
        context.Reply.WriteSimpleString(ValueKindNames.Of(slot < 0 ? ValueKind.None : context.Keyspace.KindAt(slot)));
    }

    private static void Expire(CommandContext context, CommandArgs args, bool seconds, bool absolute)
    {
        var name = (seconds, absolute) switch
        {
            (true, false) => "expire",
            (false, false) => "pexpire",
            (true, true) => "expireat",
            _ => "pexpireat",
        };
        if (!ExpireCondition.TryParse(args, 3, context.Reply, out var condition) || !context.TryParseInteger(args[2], out var when))
        {
            context.ReportNothingChanged();
            return;
        }
        if (seconds)
        {
            if (when > long.MaxValue / 1000 || when < long.MinValue / 1000)
            {
                context.Reply.WriteError(CommandErrors.InvalidExpireTime(name));
                context.ReportNothingChanged();
                return;
            }
            when *= 1000;
        }
        var basetime = absolute ? 0 : context.NowMs;
        if (when > long.MaxValue - basetime)
        {
            context.Reply.WriteError(CommandErrors.InvalidExpireTime(name));
            context.ReportNothingChanged();
            return;
        }
        when += basetime;
        var keyspace = context.Keyspace;
        var slot = keyspace.Find(args[1]);
        if (slot < 0 || !condition.Allows(keyspace.ExpiryAt(slot), when))
        {
            context.ReportNothingChanged();
            context.Reply.WriteInteger(0);
            return;
        }
        if (when <= context.NowMs)
        {
            keyspace.DeleteAt(slot);
        }
        else
        {
            keyspace.SetExpiryAt(slot, when);
        }
        context.Reply.WriteInteger(1);
    }

    private static void Ttl(CommandContext context, CommandArgs args, bool milliseconds, bool absolute)
    {
        var slot = context.Keyspace.Find(args[1]);
        if (slot < 0)
        {
            context.Reply.WriteInteger(-2);
            return;
        }
        var expireAt = context.Keyspace.ExpiryAt(slot);
        if (expireAt < 0)
        {
            context.Reply.WriteInteger(-1);
            return;
        }
        var ttl = Math.Max(0, absolute ? expireAt : expireAt - context.NowMs);
        context.Reply.WriteInteger(milliseconds ? ttl : (ttl + 500) / 1000);
    }

    private static void Persist(CommandContext context, CommandArgs args)
    {
        var slot = context.Keyspace.Find(args[1]);
        if (slot < 0 || context.Keyspace.ExpiryAt(slot) < 0)
        {
            context.ReportNothingChanged();
            context.Reply.WriteInteger(0);
            return;
        }
        context.Keyspace.SetExpiryAt(slot, -1);
        context.Reply.WriteInteger(1);
    }

    private static void Rename(CommandContext context, CommandArgs args, bool onlyIfAbsent)
    {
        var keyspace = context.Keyspace;
        var source = keyspace.Find(args[1]);
        if (source < 0)
        {
            context.Reply.WriteError(CommandErrors.NoSuchKey);
            return;
        }
        if (args[1].SequenceEqual(args[2]))
        {
            WriteRenamed(context, onlyIfAbsent, renamed: false);
            return;
        }
        if (onlyIfAbsent && keyspace.Exists(args[2]))
        {
            context.Reply.WriteInteger(0);
            return;
        }
        // Looking up the destination may have deleted an expired key and moved slots: find the source again.
        keyspace.MoveTo(keyspace.Find(args[1]), args[2]);
        WriteRenamed(context, onlyIfAbsent, renamed: true);
    }

    private static void WriteRenamed(CommandContext context, bool onlyIfAbsent, bool renamed)
    {
        if (onlyIfAbsent)
        {
            context.Reply.WriteInteger(renamed ? 1 : 0);
        }
        else
        {
            context.Reply.WriteOk();
        }
    }

    private static void Copy(CommandContext context, CommandArgs args)
    {
        var replace = false;
        for (var i = 3; i < args.Count; i++)
        {
            if (Ascii.EqualsIgnoreCase(args[i], "REPLACE"u8))
            {
                replace = true;
            }
            else if (Ascii.EqualsIgnoreCase(args[i], "DB"u8) && i + 1 < args.Count)
            {
                if (!context.TryParseInteger(args[++i], out var db))
                {
                    return;
                }
                if (db != 0)
                {
                    context.Reply.WriteError(CommandErrors.DbIndexOutOfRange);
                    return;
                }
            }
            else
            {
                context.Reply.WriteError(CommandErrors.Syntax);
                return;
            }
        }
        if (args[1].SequenceEqual(args[2]))
        {
            context.Reply.WriteError(CommandErrors.SameObject);
            return;
        }
        var keyspace = context.Keyspace;
        if (!keyspace.Exists(args[1]) || (keyspace.Exists(args[2]) && !replace))
        {
            context.Reply.WriteInteger(0);
            return;
        }
        keyspace.CopyTo(keyspace.Find(args[1]), args[2]);
        context.Reply.WriteInteger(1);
    }

    private static void Keys(CommandContext context, CommandArgs args)
    {
        var pattern = args[1];
        var everything = GlobMatcher.MatchesEverything(pattern);
        var matches = context.ScratchItems;
        matches.Clear();
        foreach (var item in context.Keyspace.Items())
        {
            if (everything || GlobMatcher.IsMatch(pattern, Keyspace.KeyOf(item)))
            {
                matches.Add(item);
            }
        }
        WriteKeys(context.Reply, matches);
    }

    private static void Scan(CommandContext context, CommandArgs args)
    {
        if (!Utf8Parser.TryParse(args[1], out ulong cursor, out var consumed) || consumed != args[1].Length)
        {
            context.Reply.WriteError(CommandErrors.InvalidCursor);
            return;
        }
        var count = 10L;
        var pattern = ReadOnlySpan<byte>.Empty;
        var usePattern = false;
        var type = ValueKind.None;
        for (var i = 2; i < args.Count; i += 2)
        {
            var hasValue = i + 1 < args.Count;
            if (hasValue && Ascii.EqualsIgnoreCase(args[i], "COUNT"u8))
            {
                if (!context.TryParseInteger(args[i + 1], out count))
                {
                    return;
                }
                if (count < 1)
                {
                    context.Reply.WriteError(CommandErrors.Syntax);
                    return;
                }
            }
            else if (hasValue && Ascii.EqualsIgnoreCase(args[i], "MATCH"u8))
            {
                pattern = args[i + 1];
                usePattern = !(pattern.Length == 1 && pattern[0] == (byte)'*');
            }
            else if (hasValue && Ascii.EqualsIgnoreCase(args[i], "TYPE"u8))
            {
                type = ValueKindNames.Parse(args[i + 1]);
                if (type == ValueKind.None)
                {
                    context.Reply.WriteError($"ERR unknown type name '{Encoding.UTF8.GetString(args[i + 1])}'");
                    return;
                }
            }
            else
            {
                context.Reply.WriteError(CommandErrors.Syntax);
                return;
            }
        }
        var items = context.ScratchItems;
        items.Clear();
        var next = context.Keyspace.Scan(cursor, (int)Math.Min(count, int.MaxValue / 10), items);
        var kept = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if ((!usePattern || GlobMatcher.IsMatch(pattern, Keyspace.KeyOf(item)))
                && (type == ValueKind.None || Keyspace.KindOf(item) == type))
            {
                items[kept++] = item;
            }
        }
        items.RemoveRange(kept, items.Count - kept);
        context.Reply.WriteArrayHeader(2);
        context.Reply.WriteBulkString(FormatCursor(next, stackalloc byte[20]));
        WriteKeys(context.Reply, items);
    }

    private static ReadOnlySpan<byte> FormatCursor(ulong cursor, Span<byte> buffer)
    {
        Utf8Formatter.TryFormat(cursor, buffer, out var written);
        return buffer[..written];
    }

    private static void RandomKey(CommandContext context, CommandArgs args)
    {
        var slot = context.Keyspace.RandomSlot();
        if (slot < 0)
        {
            context.Reply.WriteNull();
        }
        else
        {
            context.Reply.WriteBulkString(context.Keyspace.KeyAt(slot));
        }
    }

    private static void DbSize(CommandContext context, CommandArgs args) => context.Reply.WriteInteger(context.Keyspace.Count);

    private static void Flush(CommandContext context, CommandArgs args)
    {
        if (args.Count > 2 || (args.Count == 2 && !Ascii.EqualsIgnoreCase(args[1], "SYNC"u8) && !Ascii.EqualsIgnoreCase(args[1], "ASYNC"u8)))
        {
            context.Reply.WriteError(CommandErrors.Syntax);
            return;
        }
        context.Keyspace.Clear();
        context.Reply.WriteOk();
    }

    private static void WriteKeys(RespWriter reply, List<object> items)
    {
        reply.WriteArrayHeader(items.Count);
        foreach (var item in items)
        {
            reply.WriteBulkString(Keyspace.KeyOf(item));
        }
        items.Clear();
    }
}
