using Dst.Commands.KeySpecs;
using Dst.Protocol;
using static Dst.Commands.CommandFlags;

namespace Dst.Commands.Lists;

/// <summary>
/// The list commands: their table rows and handlers, with Redis's semantics and error replies.
/// <para>
/// Blocking contract (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP here; BZPOPMIN, BZPOPMAX in the
/// sorted-set commands). They are Write | Blocking commands whose handler makes one NON-blocking
/// attempt, on the apply path like any write. When an element was available the reply is the
/// normal one and the command is done. When nothing was available the handler changes nothing,
/// sets <see cref="CommandContext.BlockedOnKeys"/> and writes the reply a client that cannot block
/// gets (inside MULTI): the null array, or for BLMOVE/BRPOPLPUSH the null bulk string. The server
/// discards that reply for a client that may block, parks the client on the command's keys, and
/// runs the command again (as a new entry) when one of those keys is written; when the timeout
/// (<see cref="BlockingTimeout.TryParse"/>) passes first it replies the null array itself, as Redis
/// does. Argument errors (bad timeout, WRONGTYPE, syntax) are replied at once and never block.
/// </para>
/// </summary>
public static partial class ListCommands
{
    private const string Group = "list";

    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        new("lpush", -3, Write | DenyOom | Fast, 1, 1, 1, Group, "Prepends one or more elements to a list. Creates the key if it doesn't exist.", "1.0.0", (c, a) => Push(c, a, front: true, onlyIfExists: false), "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.") { KeyFlags = "RW insert", Syntax = "key:key element:string..." },
        new("rpush", -3, Write | DenyOom | Fast, 1, 1, 1, Group, "Appends one or more elements to a list. Creates the key if it doesn't exist.", "1.0.0", (c, a) => Push(c, a, front: false, onlyIfExists: false), "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.") { KeyFlags = "RW insert", Syntax = "key:key element:string..." },
        new("lpushx", -3, Write | DenyOom | Fast | NoOpWithoutKeys, 1, 1, 1, Group, "Prepends one or more elements to a list only when the list exists.", "2.2.0", (c, a) => Push(c, a, front: true, onlyIfExists: true), "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.") { KeyFlags = "RW insert", Syntax = "key:key element:string..." },
        new("rpushx", -3, Write | DenyOom | Fast | NoOpWithoutKeys, 1, 1, 1, Group, "Appends an element to a list only when the list exists.", "2.2.0", (c, a) => Push(c, a, front: false, onlyIfExists: true), "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.") { KeyFlags = "RW insert", Syntax = "key:key element:string..." },
        new("lpop", -2, Write | Fast | NoOpWithoutKeys, 1, 1, 1, Group, "Returns the first elements in a list after removing it. Deletes the list if the last element was popped.", "1.0.0", (c, a) => Pop(c, a, front: true), "O(N) where N is the number of elements returned") { KeyFlags = "RW access delete", Syntax = "key:key [count:integer]" },
        new("rpop", -2, Write | Fast | NoOpWithoutKeys, 1, 1, 1, Group, "Returns and removes the last elements of a list. Deletes the list if the last element was popped.", "1.0.0", (c, a) => Pop(c, a, front: false), "O(N) where N is the number of elements returned") { KeyFlags = "RW access delete", Syntax = "key:key [count:integer]" },
        new("lrange", 4, ReadOnly, 1, 1, 1, Group, "Returns a range of elements from a list.", "1.0.0", LRange, "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.") { KeyFlags = "RO access", Syntax = "key:key start:integer stop:integer" },
        new("llen", 2, ReadOnly | Fast, 1, 1, 1, Group, "Returns the length of a list.", "1.0.0", LLen, "O(1)") { KeyFlags = "RO", Syntax = "key:key" },
        new("lindex", 3, ReadOnly, 1, 1, 1, Group, "Returns an element from a list by its index.", "1.0.0", LIndex, "O(N) where N is the number of elements to traverse to get to the element at index.") { KeyFlags = "RO access", Syntax = "key:key index:integer" },
        new("lset", 4, Write | DenyOom | NoOpWithoutKeys, 1, 1, 1, Group, "Sets the value of an element in a list by its index.", "1.0.0", LSet, "O(N) where N is the length of the list.") { KeyFlags = "RW update", Syntax = "key:key index:integer element:string" },
        new("lrem", 4, Write | NoOpWithoutKeys, 1, 1, 1, Group, "Removes elements from a list. Deletes the list if the last element was removed.", "1.0.0", LRem, "O(N+M) where N is the length of the list and M is the number of elements removed.") { KeyFlags = "RW delete", Syntax = "key:key count:integer element:string" },
        new("ltrim", 4, Write | NoOpWithoutKeys, 1, 1, 1, Group, "Removes elements from both ends a list. Deletes the list if all elements were trimmed.", "1.0.0", LTrim, "O(N) where N is the number of elements to be removed by the operation.") { KeyFlags = "RW delete", Syntax = "key:key start:integer stop:integer" },
        new("linsert", 5, Write | DenyOom, 1, 1, 1, Group, "Inserts an element before or after another element in a list.", "2.2.0", LInsert, "O(N) where N is the number of elements to traverse before seeing the value pivot.") { KeyFlags = "RW insert", Syntax = "key:key where{before:BEFORE|after:AFTER} pivot:string element:string" },
        new("lpos", -3, ReadOnly, 1, 1, 1, Group, "Returns the index of matching elements in a list.", "6.0.6", LPos, "O(N) where N is the number of elements in the list, for the average case.") { KeyFlags = "RO access", Syntax = "key:key element:string [RANK rank:integer] [COUNT num-matches:integer] [MAXLEN len:integer]" },
        new("lmove", 5, Write | DenyOom | NoOpWithoutKeys, 1, 2, 1, Group, "Returns an element after popping it from one list and pushing it to another. Deletes the list if the last element was moved.", "6.2.0", LMove, "O(1)") { KeyFlags = "RW access delete; RW insert", Syntax = "source:key destination:key wherefrom{left:LEFT|right:RIGHT} whereto{left:LEFT|right:RIGHT}" },
        new("rpoplpush", 3, Write | DenyOom | NoOpWithoutKeys, 1, 2, 1, Group, "Returns the last element of a list after removing and pushing it to another list. Deletes the list if the last element was popped.", "1.2.0", RPopLPush, "O(1)") { KeyFlags = "RW access delete; RW insert", Syntax = "source:key destination:key" },
        new("lmpop", -4, Write | MovableKeys, 0, 0, 0, Group, "Returns multiple elements from a list after removing them. Deletes the list if the last element was popped.", "7.0.0", LMPop, "O(N+M) where N is the number of provided keys and M is the number of elements returned.") { FindKeys = KeyFinders.AfterCount(1), KeyFlags = "RW access delete", Syntax = "numkeys:integer key:key... where{left:LEFT|right:RIGHT} [COUNT count:integer]" },
        new("blpop", -3, Write | Blocking, 1, -2, 1, Group, "Removes and returns the first element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.", "2.0.0", (c, a) => BPop(c, a, front: true), "O(N) where N is the number of provided keys.") { KeyFlags = "RW access delete", Syntax = "key:key... timeout:double" },
        new("brpop", -3, Write | Blocking, 1, -2, 1, Group, "Removes and returns the last element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.", "2.0.0", (c, a) => BPop(c, a, front: false), "O(N) where N is the number of provided keys.") { KeyFlags = "RW access delete", Syntax = "key:key... timeout:double" },
        new("blmove", 6, Write | DenyOom | Blocking, 1, 2, 1, Group, "Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise. Deletes the list if the last element was moved.", "6.2.0", BLMove, "O(1)") { KeyFlags = "RW access delete; RW insert", Syntax = "source:key destination:key wherefrom{left:LEFT|right:RIGHT} whereto{left:LEFT|right:RIGHT} timeout:double" },
        new("brpoplpush", 4, Write | DenyOom | Blocking, 1, 2, 1, Group, "Pops an element from a list, pushes it to another list and returns it. Block until an element is available otherwise. Deletes the list if the last element was popped.", "2.2.0", BRPopLPush, "O(1)") { KeyFlags = "RW access delete; RW insert", Syntax = "source:key destination:key timeout:double" },
        new("blmpop", -5, Write | Blocking | MovableKeys, 0, 0, 0, Group, "Pops the first element from one of multiple lists. Blocks until an element is available otherwise. Deletes the list if the last element was popped.", "7.0.0", BLMPop, "O(N+M) where N is the number of provided keys and M is the number of elements returned.") { FindKeys = KeyFinders.AfterCount(2), KeyFlags = "RW access delete", Syntax = "timeout:double numkeys:integer key:key... where{left:LEFT|right:RIGHT} [COUNT count:integer]" },
    ];

    private static void Push(CommandContext context, CommandArgs args, bool front, bool onlyIfExists)
    {
        if (!ListLookup.TryFind(context, args[1], out var list))
        {
            context.ReportNothingChanged();
            return;
        }
        if (list is null)
        {
            if (onlyIfExists)
            {
                context.ReportNothingChanged();
                context.Reply.WriteInteger(0);
                return;
            }
            list = new ListObject(args.ToArray(1));
            context.Keyspace.SetObject(list);
        }
        var fill = ListLookup.Fill(context);
        for (var i = 2; i < args.Count; i++)
        {
            if (front)
            {
                list.PushFront(args[i], fill);
            }
            else
            {
                list.PushBack(args[i], fill);
            }
        }
        context.Reply.WriteInteger(list.Count);
    }

    private static void Pop(CommandContext context, CommandArgs args, bool front)
    {
        if (args.Count > 3)
        {
            context.Reply.WriteError(CommandErrors.WrongArity(front ? "lpop" : "rpop"));
            return;
        }
        var count = -1L;
        if (args.Count == 3 && !RangeArgument.TryParseCount(context, args[2], out count))
        {
            return;
        }
        if (!ListLookup.TryFind(context, args[1], out var list))
        {
            return;
        }
        if (list is null)
        {
            if (count < 0)
            {
                context.Reply.WriteNull();
            }
            else
            {
                context.Reply.WriteNullArray();
            }
            return;
        }
        if (count < 0)
        {
            context.Reply.WriteBulkString(PopOne(list, front, ListLookup.Fill(context)));
        }
        else
        {
            WritePopped(context, list, front, count);
        }
        ListLookup.DeleteIfEmpty(context, list);
    }

    private static void LRange(CommandContext context, CommandArgs args)
    {
        if (!context.TryParseInteger(args[2], out var start) || !context.TryParseInteger(args[3], out var end)
            || !ListLookup.TryFind(context, args[1], out var list))
        {
            return;
        }
        var length = list?.Count ?? 0;
        if (!ListLookup.ClampRange(ref start, ref end, length))
        {
            context.Reply.WriteArrayHeader(0);
            return;
        }
        var count = (int)(end - start + 1);
        context.Reply.WriteArrayHeader(count);
        var cursor = list!.CursorAt((int)start);
        for (var i = 0; i < count; i++)
        {
            context.Reply.WriteBulkString(cursor.Current);
            if (i + 1 < count)
            {
                cursor.MoveNext();
            }
        }
    }

    private static void LLen(CommandContext context, CommandArgs args)
    {
        if (ListLookup.TryFind(context, args[1], out var list))
        {
            context.Reply.WriteInteger(list?.Count ?? 0);
        }
    }

    private static void LIndex(CommandContext context, CommandArgs args)
    {
        // Redis looks the key up before it parses the index: a missing key answers nil to any index.
        if (!ListLookup.TryFind(context, args[1], out var list))
        {
            return;
        }
        if (list is null)
        {
            context.Reply.WriteNull();
            return;
        }
        if (!context.TryParseInteger(args[2], out var index))
        {
            return;
        }
        if (index < 0)
        {
            index += list.Count;
        }
        if (index < 0 || index >= list.Count)
        {
            context.Reply.WriteNull();
            return;
        }
        context.Reply.WriteBulkString(list[(int)index]);
    }

    private static void LSet(CommandContext context, CommandArgs args)
    {
        if (!ListLookup.TryFind(context, args[1], out var list))
        {
            return;
        }
        if (list is null)
        {
            context.Reply.WriteError(CommandErrors.NoSuchKey);
            return;
        }
        if (!context.TryParseInteger(args[2], out var index))
        {
            return;
        }
        if (index < 0)
        {
            index += list.Count;
        }
        if (index < 0 || index >= list.Count)
        {
            context.Reply.WriteError(ListLookup.IndexOutOfRange);
            return;
        }
        list.Set((int)index, args[3], ListLookup.Fill(context));
        context.Reply.WriteOk();
    }

    private static void LRem(CommandContext context, CommandArgs args)
    {
        if (!context.TryParseInteger(args[2], out var count) || !ListLookup.TryFind(context, args[1], out var list))
        {
            context.ReportNothingChanged();
            return;
        }
        if (list is null)
        {
            context.ReportNothingChanged();
            context.Reply.WriteInteger(0);
            return;
        }
        // |long.MinValue| does not fit a long; any limit beyond the list's length means "all of them".
        var limit = count == long.MinValue ? long.MaxValue : Math.Abs(count);
        var removed = list.RemoveMatches(args[3], limit, fromTail: count < 0, ListLookup.Fill(context));
        ListLookup.DeleteIfEmpty(context, list);
        if (removed == 0)
        {
            context.ReportNothingChanged();
        }
        context.Reply.WriteInteger(removed);
    }

    private static void LTrim(CommandContext context, CommandArgs args)
    {
        if (!context.TryParseInteger(args[2], out var start) || !context.TryParseInteger(args[3], out var end)
            || !ListLookup.TryFind(context, args[1], out var list))
        {
            return;
        }
        if (list is not null)
        {
            if (ListLookup.ClampRange(ref start, ref end, list.Count))
            {
                list.Trim((int)start, (int)end, ListLookup.Fill(context));
            }
            else
            {
                list.Trim(1, 0, ListLookup.Fill(context));
            }
            ListLookup.DeleteIfEmpty(context, list);
        }
        context.Reply.WriteOk();
    }

    private static void LInsert(CommandContext context, CommandArgs args)
    {
        bool after;
        if (args.EqualsIgnoreCase(2, "AFTER"u8))
        {
            after = true;
        }
        else if (args.EqualsIgnoreCase(2, "BEFORE"u8))
        {
            after = false;
        }
        else
        {
            context.Reply.WriteError(CommandErrors.Syntax);
            return;
        }
        if (!ListLookup.TryFind(context, args[1], out var list))
        {
            return;
        }
        if (list is null)
        {
            context.Reply.WriteInteger(0);
            return;
        }
        var pivot = args[3];
        var cursor = list.CursorAt(0);
        for (var i = 0; i < list.Count; i++)
        {
            if (cursor.Current.SequenceEqual(pivot))
            {
                list.Insert(after ? i + 1 : i, args[4], ListLookup.Fill(context));
                context.Reply.WriteInteger(list.Count);
                return;
            }
            if (i + 1 < list.Count)
            {
                cursor.MoveNext();
            }
        }
        context.Reply.WriteInteger(-1);
    }

    private static void LPos(CommandContext context, CommandArgs args)
    {
        long rank = 1, count = -1, maxLength = 0;
        for (var i = 3; i < args.Count; i++)
        {
            var hasValue = i + 1 < args.Count;
            if (hasValue && args.EqualsIgnoreCase(i, "RANK"u8))
            {
                if (!RangeArgument.TryParse(context, args[++i], -long.MaxValue, long.MaxValue, null, out rank))
                {
                    return;
                }
                if (rank == 0)
                {
                    context.Reply.WriteError("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
                    return;
                }
            }
            else if (hasValue && args.EqualsIgnoreCase(i, "COUNT"u8))
            {
                if (!RangeArgument.TryParse(context, args[++i], 0, long.MaxValue, "ERR COUNT can't be negative", out count))
                {
                    return;
                }
            }
            else if (hasValue && args.EqualsIgnoreCase(i, "MAXLEN"u8))
            {
                if (!RangeArgument.TryParse(context, args[++i], 0, long.MaxValue, "ERR MAXLEN can't be negative", out maxLength))
                {
                    return;
                }
            }
            else
            {
                context.Reply.WriteError(CommandErrors.Syntax);
                return;
            }
        }
        if (!ListLookup.TryFind(context, args[1], out var list))
        {
            return;
        }
        var matches = FindMatches(list, args[2], rank, count < 0 ? 1 : count, maxLength);
        if (count < 0)
        {
            if (matches.Count == 0)
            {
                context.Reply.WriteNull();
            }
            else
            {
                context.Reply.WriteInteger(matches[0]);
            }
            return;
        }
        context.Reply.WriteArrayHeader(matches.Count);
        foreach (var index in matches)
        {
            context.Reply.WriteInteger(index);
        }
    }

    /// <summary>Indexes of matches, skipping |rank|-1 of them, scanning from the tail for a negative rank; 0 wanted or maxLength = unlimited.</summary>
    private static List<long> FindMatches(ListObject? list, ReadOnlySpan<byte> element, long rank, long wanted, long maxLength)
    {
        var matches = new List<long>();
        if (list is null)
        {
            return matches;
        }
        var fromTail = rank < 0;
        var skip = Math.Abs(rank) - 1;
        var scan = maxLength == 0 ? list.Count : Math.Min(maxLength, list.Count);
        var cursor = list.CursorAt(fromTail ? list.Count - 1 : 0);
        for (var step = 0; step < scan; step++)
        {
            if (cursor.Current.SequenceEqual(element) && skip-- <= 0)
            {
                matches.Add(fromTail ? list.Count - 1 - step : step);
                if (wanted != 0 && matches.Count == wanted)
                {
                    break;
                }
            }
            if (step + 1 < scan)
            {
                if (fromTail)
                {
                    cursor.MovePrevious();
                }
                else
                {
                    cursor.MoveNext();
                }
            }
        }
        return matches;
    }

    internal static byte[] PopOne(ListObject list, bool front, ListFill fill) => front ? list.PopFront(fill) : list.PopBack(fill);

    /// <summary>Pops up to <paramref name="count"/> items and writes them as an array.</summary>
    internal static void WritePopped(CommandContext context, ListObject list, bool front, long count)
    {
        var fill = ListLookup.Fill(context);
        var popped = (int)Math.Min(count, list.Count);
        context.Reply.WriteArrayHeader(popped);
        for (var i = 0; i < popped; i++)
        {
            context.Reply.WriteBulkString(PopOne(list, front, fill));
        }
    }
}
