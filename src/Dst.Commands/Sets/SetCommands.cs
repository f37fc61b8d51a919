using Dst.Commands.Hashes;
using Dst.Commands.KeySpecs;
using Dst.Commands.Storage;
using Dst.Protocol;
using static Dst.Commands.CommandFlags;

namespace Dst.Commands.Sets;

/// <summary>
/// The set commands: their table rows and handlers, with Redis's semantics and error replies.
/// A set that loses its last member is deleted. SPOP and SRANDMEMBER are in <c>SetRandomCommands.cs</c>,
/// intersections, unions and differences in <c>SetAlgebraCommands.cs</c>.
/// </summary>
public static partial class SetCommands
{
    private const string Group = "set";

    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        new("sadd", -3, Write | DenyOom | Fast, 1, 1, 1, Group, "Adds one or more members to a set. Creates the key if it doesn't exist.", "1.0.0", SAdd, "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.") { WouldChangeNothing = SAddChangesNothing, KeyFlags = "RW insert", Syntax = "key:key member:string..." },
        new("srem", -3, Write | Fast | NoOpWithoutKeys, 1, 1, 1, Group, "Removes one or more members from a set. Deletes the set if the last member was removed.", "1.0.0", SRem, "O(N) where N is the number of members to be removed.") { KeyFlags = "RW delete", Syntax = "key:key member:string..." },
        new("smembers", 2, ReadOnly, 1, 1, 1, Group, "Returns all members of a set.", "1.0.0", SMembers, "O(N) where N is the set cardinality.") { KeyFlags = "RO access", Syntax = "key:key" },
        new("sismember", 3, ReadOnly | Fast, 1, 1, 1, Group, "Determines whether a member belongs to a set.", "1.0.0", SIsMember, "O(1)") { KeyFlags = "RO", Syntax = "key:key member:string" },
        new("smismember", -3, ReadOnly | Fast, 1, 1, 1, Group, "Determines whether multiple members belong to a set.", "6.2.0", SMIsMember, "O(N) where N is the number of elements being checked for membership") { KeyFlags = "RO access", Syntax = "key:key member:string..." },
        new("scard", 2, ReadOnly | Fast, 1, 1, 1, Group, "Returns the number of members in a set.", "1.0.0", SCard, "O(1)") { KeyFlags = "RO", Syntax = "key:key" },
        new("smove", 4, Write | Fast | NoOpWithoutKeys, 1, 2, 1, Group, "Moves a member from one set to another.", "1.0.0", SMove, "O(1)") { KeyFlags = "RW access delete; RW insert", Syntax = "source:key destination:key member:string" },
        new("spop", -2, Write | Fast | NoOpWithoutKeys, 1, 1, 1, Group, "Returns one or more random members from a set after removing them. Deletes the set if the last member was popped.", "1.0.0", SPop, "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.") { KeyFlags = "RW access delete", Syntax = "key:key [count:integer]" },
        new("srandmember", -2, ReadOnly, 1, 1, 1, Group, "Get one or multiple random members from a set", "1.0.0", SRandMember, "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.") { KeyFlags = "RO access", Syntax = "key:key [count:integer]" },
        new("sinter", -2, ReadOnly, 1, -1, 1, Group, "Returns the intersect of multiple sets.", "1.0.0", SInter, "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.") { KeyFlags = "RO access", Syntax = "key:key..." },
        new("sintercard", -3, ReadOnly | MovableKeys, 0, 0, 0, Group, "Returns the number of members of the intersect of multiple sets.", "7.0.0", SInterCard, "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.") { FindKeys = KeyFinders.AfterCount(1), KeyFlags = "RO access", Syntax = "numkeys:integer key:key... [LIMIT limit:integer]" },
        new("sinterstore", -3, Write | DenyOom, 1, -1, 1, Group, "Stores the intersect of multiple sets in a key.", "1.0.0", SInterStore, "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.") { KeyFlags = "RW update; RO access", Syntax = "destination:key key:key..." },
        new("sunion", -2, ReadOnly, 1, -1, 1, Group, "Returns the union of multiple sets.", "1.0.0", SUnion, "O(N) where N is the total number of elements in all given sets.") { KeyFlags = "RO access", Syntax = "key:key..." },
        new("sunionstore", -3, Write | DenyOom, 1, -1, 1, Group, "Stores the union of multiple sets in a key.", "1.0.0", SUnionStore, "O(N) where N is the total number of elements in all given sets.") { KeyFlags = "OW update; RO access", Syntax = "destination:key key:key..." },
        new("sdiff", -2, ReadOnly, 1, -1, 1, Group, "Returns the difference of multiple sets.", "1.0.0", SDiff, "O(N) where N is the total number of elements in all given sets.") { KeyFlags = "RO access", Syntax = "key:key..." },
        new("sdiffstore", -3, Write | DenyOom, 1, -1, 1, Group, "Stores the difference of multiple sets in a key.", "1.0.0", SDiffStore, "O(N) where N is the total number of elements in all given sets.") { KeyFlags = "OW update; RO access", Syntax = "destination:key key:key..." },
        new("sscan", -3, ReadOnly, 1, 1, 1, Group, "Iterates over members of a set.", "2.0.0", SScan, "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.") { KeyFlags = "RO access", Syntax = "key:key cursor:integer [MATCH pattern:pattern] [COUNT count:integer]" },
    ];

    private static void SAdd(CommandContext context, CommandArgs args)
    {
        if (!context.TryFindObject<SetObject>(args[1], out var set))
        {
            context.ReportNothingChanged();
            return;
        }
        var sizeHint = args.Count - 2;
        var converted = false;
        if (set is null)
        {
            set = new SetObject(args[1].ToArray(), args[2], sizeHint, context.Options);
            context.Keyspace.SetObject(set);
        }
        else if (set.ConvertsForAdding(sizeHint, context.Options))
        {
            set.ConvertForAdding(sizeHint);
            converted = true;
        }
        var added = 0;
        for (var i = 2; i < args.Count; i++)
        {
            added += set.Add(args[i], context.Options) ? 1 : 0;
        }
        if (added == 0 && !converted)
        {
            context.ReportNothingChanged();
        }
        context.Reply.WriteInteger(added);
    }

    /// <summary>SADD's <see cref="CommandSpec.WouldChangeNothing"/>: the set holds every member and keeps its encoding.</summary>
    internal static bool SAddChangesNothing(CommandContext context, CommandArgs args)
    {
        var set = context.Keyspace.FindObject<SetObject>(args[1]);
        if (set is null || set.ConvertsForAdding(args.Count - 2, context.Options))
        {
            return false;
        }
        for (var i = 2; i < args.Count; i++)
        {
            if (!set.Contains(args[i]))
            {
                return false;
            }
        }
        return true;
    }

    private static void SRem(CommandContext context, CommandArgs args)
    {
        if (!context.TryFindObject<SetObject>(args[1], out var set))
        {
            context.ReportNothingChanged();
            return;
        }
        var removed = 0;
        for (var i = 2; set is not null && i < args.Count; i++)
        {
            removed += set.Remove(args[i]) ? 1 : 0;
        }
        DeleteIfEmpty(context, set);
        if (removed == 0)
        {
            context.ReportNothingChanged();
        }
        context.Reply.WriteInteger(removed);
    }

    private static void SMembers(CommandContext context, CommandArgs args)
    {
        if (context.TryFindObject<SetObject>(args[1], out var set))
        {
            WriteMembers(context.Reply, set);
        }
    }

    private static void SIsMember(CommandContext context, CommandArgs args)
    {
        if (context.TryFindObject<SetObject>(args[1], out var set))
        {
            context.Reply.WriteInteger(set is not null && set.Contains(args[2]) ? 1 : 0);
        }
    }

    private static void SMIsMember(CommandContext context, CommandArgs args)
    {
        if (!context.TryFindObject<SetObject>(args[1], out var set))
        {
            return;
        }
        context.Reply.WriteArrayHeader(args.Count - 2);
        for (var i = 2; i < args.Count; i++)
        {
            context.Reply.WriteInteger(set is not null && set.Contains(args[i]) ? 1 : 0);
        }
    }

    private static void SCard(CommandContext context, CommandArgs args)
    {
        if (context.TryFindObject<SetObject>(args[1], out var set))
        {
            context.Reply.WriteInteger(set?.Count ?? 0);
        }
    }

    /// <summary>SMOVE source destination member, in Redis's order of checks: a missing source answers 0 before any type check.</summary>
    private static void SMove(CommandContext context, CommandArgs args)
    {
        if (!context.Keyspace.Exists(args[1]))
        {
            context.ReportNothingChanged();
            context.Reply.WriteInteger(0);
            return;
        }
        if (!context.TryFindObject<SetObject>(args[1], out var source) || !context.TryFindObject<SetObject>(args[2], out var destination))
        {
            context.ReportNothingChanged();
            return;
        }
        var member = args[3];
        if (ReferenceEquals(source, destination))
        {
            context.ReportNothingChanged();
            context.Reply.WriteInteger(source!.Contains(member) ? 1 : 0);
            return;
        }
        if (!source!.Remove(member))
        {
            context.ReportNothingChanged();
            context.Reply.WriteInteger(0);
            return;
        }
        DeleteIfEmpty(context, source);
        if (destination is null)
        {
            destination = new SetObject(args[2].ToArray(), member, 1, context.Options);
            context.Keyspace.SetObject(destination);
        }
        destination.Add(member, context.Options);
        context.Reply.WriteInteger(1);
    }

    private static void SScan(CommandContext context, CommandArgs args)
    {
        if (!ScanArguments.TryParseCursor(context, args, out var cursor) || !context.TryFindObject<SetObject>(args[1], out var set))
        {
            return;
        }
        if (set is null)
        {
            context.Reply.WriteRaw(ScanArguments.EmptyReply);
            return;
        }
        if (!ScanArguments.TryParseOptions(context, args, cursor, allowNoValues: false, out var scan))
        {
            return;
        }
        if (set.IsCompact)
        {
            ScanArguments.WriteCursor(context.Reply, 0);
            Span<byte> scratch = stackalloc byte[StringValue.MaxIntegerLength];
            var matches = 0;
            foreach (var member in set.Members(scratch))
            {
                matches += scan.Matches(member) ? 1 : 0;
            }
            context.Reply.WriteArrayHeader(matches);
            foreach (var member in set.Members(scratch))
            {
                if (scan.Matches(member))
                {
                    context.Reply.WriteBulkString(member);
                }
            }
            return;
        }
        var entries = context.ScratchItems;
        entries.Clear();
        var next = set.ScanTable(scan.Cursor, scan.Count, entries);
        var kept = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            if (scan.Matches(PackedEntry.Key((byte[])entries[i])))
            {
                entries[kept++] = entries[i];
            }
        }
        ScanArguments.WriteCursor(context.Reply, next);
        context.Reply.WriteArrayHeader(kept);
        for (var i = 0; i < kept; i++)
        {
            context.Reply.WriteBulkString(PackedEntry.Key((byte[])entries[i]));
        }
        entries.Clear();
    }

    /// <summary>All members as a set reply (RESP3 <c>~</c>); a missing key is the empty set.</summary>
    internal static void WriteMembers(RespWriter reply, SetObject? set)
    {
        reply.WriteSetHeader(set?.Count ?? 0);
        if (set is null)
        {
            return;
        }
        foreach (var member in set.Members(stackalloc byte[StringValue.MaxIntegerLength]))
        {
            reply.WriteBulkString(member);
        }
    }

    private static void DeleteIfEmpty(CommandContext context, SetObject? set)
    {
        if (set is not null && set.Count == 0)
        {
            context.Keyspace.Delete(set.Key);
        }
    }
}
