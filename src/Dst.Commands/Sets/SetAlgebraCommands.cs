using Dst.Commands.Storage;
using Dst.Protocol;

namespace Dst.Commands.Sets;

/// <summary>
/// SINTER, SINTERCARD, SUNION, SDIFF and their STORE forms. Every source key is type-checked before
/// anything is computed; a missing key is an empty set. A STORE with an empty result deletes the
/// destination; otherwise the destination is replaced whatever its type, without a TTL.
/// </summary>
public static partial class SetCommands
{
    private enum Operation
    {
        Intersection,
        Union,
        Difference,
    }

    private static void SInter(CommandContext context, CommandArgs args) => Reply(context, args, Operation.Intersection);

    private static void SUnion(CommandContext context, CommandArgs args) => Reply(context, args, Operation.Union);

    private static void SDiff(CommandContext context, CommandArgs args) => Reply(context, args, Operation.Difference);

    private static void SInterStore(CommandContext context, CommandArgs args) => Store(context, args, Operation.Intersection);

    private static void SUnionStore(CommandContext context, CommandArgs args) => Store(context, args, Operation.Union);

    private static void SDiffStore(CommandContext context, CommandArgs args) => Store(context, args, Operation.Difference);

    private static void Reply(CommandContext context, CommandArgs args, Operation operation)
    {
        if (TryLoadSets(context, args, 1, args.Count, out var sets))
        {
            WriteMembers(context.Reply, Compute(context, [], sets, operation));
        }
    }

    private static void Store(CommandContext context, CommandArgs args, Operation operation)
    {
        if (!TryLoadSets(context, args, 2, args.Count, out var sets))
        {
            return;
        }
        var result = Compute(context, args[1].ToArray(), sets, operation);
        if (result.Count == 0)
        {
            context.Keyspace.Delete(args[1]);
        }
        else
        {
            context.Keyspace.SetObject(result);
        }
        context.Reply.WriteInteger(result.Count);
    }

    /// <summary>SINTERCARD numkeys key [key ...] [LIMIT limit]: the intersection's size, counting stops at a non-zero limit.</summary>
    private static void SInterCard(CommandContext context, CommandArgs args)
    {
        if (!Integers.TryParse(args[1], out var keyCount) || keyCount < 1)
        {
            context.Reply.WriteError("ERR numkeys should be greater than 0");
            return;
        }
        if (keyCount > args.Count - 2)
        {
            context.Reply.WriteError("ERR Number of keys can't be greater than number of args");
            return;
        }
        var end = 2 + (int)keyCount;
        var limit = 0L;
        for (var i = end; i < args.Count; i++)
        {
            if (args.EqualsIgnoreCase(i, "LIMIT"u8) && i + 1 < args.Count)
            {
                if (!Integers.TryParse(args[++i], out limit) || limit < 0)
                {
                    context.Reply.WriteError("ERR LIMIT can't be negative");
                    return;
                }
            }
            else
            {
                context.Reply.WriteError(CommandErrors.Syntax);
                return;
            }
        }
        if (!TryLoadSets(context, args, 2, end, out var sets))
        {
            return;
        }
        var count = 0L;
        if (!sets.Contains(null))
        {
            sets.Sort(static (a, b) => a!.Count.CompareTo(b!.Count));
            foreach (var member in sets[0]!.Members(stackalloc byte[StringValue.MaxIntegerLength]))
            {
                if (InAllOthers(sets, member) && ++count == limit)
                {
                    break;
                }
            }
        }
        context.Reply.WriteInteger(count);
    }

    /// <summary>Looks up the sets named by arguments [first, end); false after replying WRONGTYPE.</summary>
    private static bool TryLoadSets(CommandContext context, CommandArgs args, int first, int end, out List<SetObject?> sets)
    {
        sets = new List<SetObject?>(end - first);
        for (var i = first; i < end; i++)
        {
            if (!context.TryFindObject<SetObject>(args[i], out var set))
            {
                return false;
            }
            sets.Add(set);
        }
        return true;
    }

    private static SetObject Compute(CommandContext context, byte[] key, List<SetObject?> sets, Operation operation)
    {
        var result = new SetObject(key);
        Span<byte> scratch = stackalloc byte[StringValue.MaxIntegerLength];
        switch (operation)
        {
            case Operation.Intersection when !sets.Contains(null):
                // Walk the smallest set and probe the others, as Redis does.
                sets.Sort(static (a, b) => a!.Count.CompareTo(b!.Count));
                foreach (var member in sets[0]!.Members(scratch))
                {
                    if (InAllOthers(sets, member))
                    {
                        result.Add(member, context.Options);
                    }
                }
                break;
            case Operation.Union:
                foreach (var set in sets)
                {
                    if (set is null)
                    {
                        continue;
                    }
                    foreach (var member in set.Members(scratch))
                    {
                        result.Add(member, context.Options);
                    }
                }
                break;
            case Operation.Difference when sets[0] is not null:
                foreach (var member in sets[0]!.Members(scratch))
                {
                    if (!InAnyOther(sets, member))
                    {
                        result.Add(member, context.Options);
                    }
                }
                break;
        }
        return result;
    }

    private static bool InAllOthers(List<SetObject?> sets, ReadOnlySpan<byte> member)
    {
        for (var i = 1; i < sets.Count; i++)
        {
            if (!sets[i]!.Contains(member))
            {
                return false;
            }
        }
        return true;
    }

    private static bool InAnyOther(List<SetObject?> sets, ReadOnlySpan<byte> member)
    {
        for (var i = 1; i < sets.Count; i++)
        {
            if (sets[i] is not null && sets[i]!.Contains(member))
            {
                return true;
            }
        }
        return false;
    }
}
