using Dst.Commands.Lists;
using Dst.Protocol;

namespace Dst.Commands.SortedSets;

/// <summary>ZPOPMIN/ZPOPMAX, ZMPOP and their blocking forms (Redis's <c>genericZpopCommand</c>).</summary>
public static partial class SortedSetCommands
{
    private static void ZPop(CommandContext context, CommandArgs args, bool min)
    {
        if (args.Count > 3)
        {
            context.Reply.WriteError(CommandErrors.Syntax);
            return;
        }
        var count = -1L;
        if (args.Count == 3 && !RangeArgument.TryParseCount(context, args[2], out count))
        {
            return;
        }
        // As Redis: the key's type is checked before a count of 0 is answered.
        if (!SortedSetReplies.TryFind(context, args[1], out var set))
        {
            return;
        }
        if (set is null || count == 0)
        {
            context.Reply.WriteArrayHeader(0);
            return;
        }
        // RESP3 nests [member, score] pairs only when a count was given.
        var pairs = context.Reply.IsResp3 && count != -1;
        var popped = (int)Math.Min(Math.Max(count, 1), set.Count);
        context.Reply.WriteArrayHeader(pairs ? popped : popped * 2);
        WritePopped(context, set, min, popped, pairs);
    }

    private static void BZPop(CommandContext context, CommandArgs args, bool min)
    {
        if (!BlockingTimeout.TryValidate(context, args[^1]))
        {
            return;
        }
        for (var i = 1; i < args.Count - 1; i++)
        {
            if (!SortedSetReplies.TryFind(context, args[i], out var set))
            {
                return;
            }
            if (set is not null)
            {
                context.Reply.WriteArrayHeader(3);
                context.Reply.WriteBulkString(args[i]);
                WritePopped(context, set, min, 1, pairs: false);
                return;
            }
        }
        context.MarkBlockedOnKeys();
        context.Reply.WriteNullArray();
    }

    private static void BZMPop(CommandContext context, CommandArgs args)
    {
        if (BlockingTimeout.TryValidate(context, args[1]))
        {
            ZMPop(context, args, 2, blocking: true);
        }
    }

    /// <summary>[B]ZMPOP: pops from the first non-empty sorted set of numkeys keys; replies [key, [[member, score], ...]].</summary>
    private static void ZMPop(CommandContext context, CommandArgs args, int numKeysIndex, bool blocking)
    {
        if (!MultiPopArguments.TryParse(context, args, numKeysIndex, "MIN"u8, "MAX"u8, out var pop))
        {
            return;
        }
        for (var i = pop.FirstKey; i < pop.FirstKey + pop.KeyCount; i++)
        {
            if (!SortedSetReplies.TryFind(context, args[i], out var set))
            {
                return;
            }
            if (set is not null)
            {
                var popped = (int)Math.Min(pop.Count, set.Count);
                context.Reply.WriteArrayHeader(2);
                context.Reply.WriteBulkString(args[i]);
                context.Reply.WriteArrayHeader(popped);
                WritePopped(context, set, pop.First, popped, pairs: true);
                return;
            }
        }
        if (blocking)
        {
            context.MarkBlockedOnKeys();
        }
        context.Reply.WriteNullArray();
    }

    /// <summary>Pops <paramref name="count"/> members from one end, writing each (the caller wrote the array header), and deletes an emptied key.</summary>
    private static void WritePopped(CommandContext context, SortedSetObject set, bool min, int count, bool pairs)
    {
        for (var i = 0; i < count; i++)
        {
            var entry = set.RemoveAt(min ? 0 : set.Count - 1);
            SortedSetReplies.WriteMember(context.Reply, entry, withScore: true, pairs);
        }
        SortedSetReplies.DeleteIfEmpty(context, set);
    }
}
