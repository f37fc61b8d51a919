using Dst.Commands.Lists;
using Dst.Commands.Storage;
using Dst.Protocol;

namespace Dst.Commands.Sets;

/// <summary>
/// SPOP and SRANDMEMBER. Draws come from <see cref="CommandContext.RandomSeed"/>: on the apply path a
/// function of the log entry, so every replica pops the same members.
/// </summary>
public static partial class SetCommands
{
    /// <summary>Counts beyond this cannot be answered in one reply.</summary>
    private const long MaxRandomCount = int.MaxValue / 2;

    private static void SPop(CommandContext context, CommandArgs args)
    {
        if (args.Count > 3)
        {
            context.Reply.WriteError(CommandErrors.Syntax);
            return;
        }
        var count = 1L;
        if (args.Count == 3 && !TryParseCount(context, args[2], out count))
        {
            return;
        }
        if (!context.TryFindObject<SetObject>(args[1], out var set))
        {
            return;
        }
        if (set is null || count == 0)
        {
            if (args.Count == 2)
            {
                context.Reply.WriteNull();
            }
            else
            {
                context.Reply.WriteSetHeader(0);
            }
            return;
        }
        if (args.Count == 3 && count >= set.Count)
        {
            WriteMembers(context.Reply, set);
            context.Keyspace.Delete(set.Key);
            return;
        }
        if (args.Count == 3)
        {
            context.Reply.WriteSetHeader((int)count);
        }
        var random = new SeededRandom(context.RandomSeed(args[1]) ^ ((ulong)set.Count * 0xD6E8FEB86659FD93));
        Span<byte> scratch = stackalloc byte[StringValue.MaxIntegerLength];
        for (var i = 0; i < count; i++)
        {
            var handle = set.RandomHandle(ref random);
            context.Reply.WriteBulkString(set.At(handle, scratch));
            set.RemoveAt(handle);
        }
        DeleteIfEmpty(context, set);
    }

    /// <summary>SPOP's count: an integer, and not negative.</summary>
    private static bool TryParseCount(CommandContext context, ReadOnlySpan<byte> argument, out long count)
    {
        if (!context.TryParseInteger(argument, out count))
        {
            return false;
        }
        if (count < 0)
        {
            context.Reply.WriteError(CommandErrors.MustBePositive);
            return false;
        }
        return true;
    }

    /// <summary>
    /// SRANDMEMBER key [count]: without a count one member (or nil); a positive count gives distinct
    /// members (all of them when it exceeds the size), a negative one allows repeats.
    /// </summary>
    private static void SRandMember(CommandContext context, CommandArgs args)
    {
        if (args.Count > 3)
        {
            context.Reply.WriteError(CommandErrors.Syntax);
            return;
        }
        var requested = 0L;
        if (args.Count == 3)
        {
            if (!RangeArgument.TryParse(context, args[2], -long.MaxValue, long.MaxValue, null, out requested))
            {
                return;
            }
            if (requested is < -MaxRandomCount or > MaxRandomCount)
            {
                context.Reply.WriteError(CommandErrors.OutOfRange);
                return;
            }
        }
        if (!context.TryFindObject<SetObject>(args[1], out var set))
        {
            return;
        }
        var random = new SeededRandom(context.RandomSeed(args[1]));
        Span<byte> scratch = stackalloc byte[StringValue.MaxIntegerLength];
        if (args.Count == 2)
        {
            if (set is null)
            {
                context.Reply.WriteNull();
            }
            else
            {
                context.Reply.WriteBulkString(set.At(set.RandomHandle(ref random), scratch));
            }
            return;
        }
        if (set is null || requested == 0)
        {
            context.Reply.WriteArrayHeader(0);
            return;
        }
        var count = (int)Math.Abs(requested);
        if (requested < 0)
        {
            context.Reply.WriteArrayHeader(count);
            for (var i = 0; i < count; i++)
            {
                context.Reply.WriteBulkString(set.At(set.RandomHandle(ref random), scratch));
            }
            return;
        }
        if (count >= set.Count)
        {
            context.Reply.WriteArrayHeader(set.Count);
            foreach (var member in set.Members(scratch))
            {
                context.Reply.WriteBulkString(member);
            }
            return;
        }
        var handles = new List<int>(count);
        DistinctSampler.Pick(set, count, ref random, handles);
        context.Reply.WriteArrayHeader(count);
        foreach (var handle in handles)
        {
            context.Reply.WriteBulkString(set.At(handle, scratch));
        }
    }
}
