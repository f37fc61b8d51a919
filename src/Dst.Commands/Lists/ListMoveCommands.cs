using Dst.Protocol;

namespace Dst.Commands.Lists;

/// <summary>The list commands that pop from one of several keys or move between lists, blocking forms included.</summary>
public static partial class ListCommands
{
    private static void LMove(CommandContext context, CommandArgs args)
    {
        if (TryParseEnd(context, args[3], out var fromFront) && TryParseEnd(context, args[4], out var toFront))
        {
            Move(context, args, fromFront, toFront, blocking: false);
        }
    }

    private static void RPopLPush(CommandContext context, CommandArgs args) =>
        Move(context, args, fromFront: false, toFront: true, blocking: false);

    private static void BLMove(CommandContext context, CommandArgs args)
    {
        if (TryParseEnd(context, args[3], out var fromFront) && TryParseEnd(context, args[4], out var toFront)
            && BlockingTimeout.TryValidate(context, args[5]))
        {
            Move(context, args, fromFront, toFront, blocking: true);
        }
    }

    private static void BRPopLPush(CommandContext context, CommandArgs args)
    {
        if (BlockingTimeout.TryValidate(context, args[3]))
        {
            Move(context, args, fromFront: false, toFront: true, blocking: true);
        }
    }

    /// <summary>LMOVE: the destination's type is checked before anything is popped, so an error changes nothing.</summary>
    private static void Move(CommandContext context, CommandArgs args, bool fromFront, bool toFront, bool blocking)
    {
        if (!ListLookup.TryFind(context, args[1], out var source))
        {
            return;
        }
        if (source is null)
        {
            if (blocking)
            {
                context.MarkBlockedOnKeys();
            }
            context.Reply.WriteNull();
            return;
        }
        if (!ListLookup.TryFind(context, args[2], out var destination))
        {
            return;
        }
        var fill = ListLookup.Fill(context);
        var item = PopOne(source, fromFront, fill);
        if (!ReferenceEquals(source, destination))
        {
            ListLookup.DeleteIfEmpty(context, source);
        }
        if (destination is null)
        {
            destination = new ListObject(args.ToArray(2));
            context.Keyspace.SetObject(destination);
        }
        if (toFront)
        {
            destination.PushFront(item, fill);
        }
        else
        {
            destination.PushBack(item, fill);
        }
        context.Reply.WriteBulkString(item);
    }

    private static void BPop(CommandContext context, CommandArgs args, bool front)
    {
        if (!BlockingTimeout.TryValidate(context, args[^1]))
        {
            return;
        }
        for (var i = 1; i < args.Count - 1; i++)
        {
            if (!ListLookup.TryFind(context, args[i], out var list))
            {
                return;
            }
            if (list is not null)
            {
                context.Reply.WriteArrayHeader(2);
                context.Reply.WriteBulkString(args[i]);
                context.Reply.WriteBulkString(PopOne(list, front, ListLookup.Fill(context)));
                ListLookup.DeleteIfEmpty(context, list);
                return;
            }
        }
        context.MarkBlockedOnKeys();
        context.Reply.WriteNullArray();
    }

    private static void LMPop(CommandContext context, CommandArgs args) => MPop(context, args, 1, blocking: false);

    private static void BLMPop(CommandContext context, CommandArgs args)
    {
        if (BlockingTimeout.TryValidate(context, args[1]))
        {
            MPop(context, args, 2, blocking: true);
        }
    }

    /// <summary>[B]LMPOP: pops from the first non-empty list of numkeys keys; WRONGTYPE only for a key met before it.</summary>
    private static void MPop(CommandContext context, CommandArgs args, int numKeysIndex, bool blocking)
    {
        if (!MultiPopArguments.TryParse(context, args, numKeysIndex, "LEFT"u8, "RIGHT"u8, out var pop))
        {
            return;
        }
        for (var i = pop.FirstKey; i < pop.FirstKey + pop.KeyCount; i++)
        {
            if (!ListLookup.TryFind(context, args[i], out var list))
            {
                return;
            }
            if (list is not null)
            {
                context.Reply.WriteArrayHeader(2);
                context.Reply.WriteBulkString(args[i]);
                WritePopped(context, list, pop.First, pop.Count);
                ListLookup.DeleteIfEmpty(context, list);
                return;
            }
        }
        if (blocking)
        {
            context.MarkBlockedOnKeys();
        }
        context.Reply.WriteNullArray();
    }

    private static bool TryParseEnd(CommandContext context, ReadOnlySpan<byte> word, out bool front)
    {
        front = System.Text.Ascii.EqualsIgnoreCase(word, "LEFT"u8);
        if (front || System.Text.Ascii.EqualsIgnoreCase(word, "RIGHT"u8))
        {
            return true;
        }
        context.Reply.WriteError(CommandErrors.Syntax);
        return false;
    }
}
