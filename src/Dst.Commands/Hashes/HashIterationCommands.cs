using Dst.Commands.Lists;
using Dst.Commands.Sets;
using Dst.Protocol;

namespace Dst.Commands.Hashes;

/// <summary>HSCAN and HRANDFIELD: the hash commands that walk or sample a hash.</summary>
public static partial class HashCommands
{
    /// <summary>Counts beyond this cannot be answered in one reply; Redis would run out of memory instead.</summary>
    private const long MaxRandomCount = int.MaxValue / 2;

    private static void HScan(CommandContext context, CommandArgs args)
    {
        if (!ScanArguments.TryParseCursor(context, args, out var cursor) || !context.TryFindObject<HashObject>(args[1], out var hash))
        {
            return;
        }
        if (hash is null)
        {
            context.Reply.WriteRaw(ScanArguments.EmptyReply);
            return;
        }
        if (!ScanArguments.TryParseOptions(context, args, cursor, allowNoValues: true, out var scan))
        {
            return;
        }
        if (hash.IsListpack)
        {
            ScanArguments.WriteCursor(context.Reply, 0);
            var matches = 0;
            foreach (var pair in hash)
            {
                matches += scan.Matches(pair.Field) ? 1 : 0;
            }
            context.Reply.WriteArrayHeader(scan.NoValues ? matches : matches * 2);
            foreach (var pair in hash)
            {
                if (scan.Matches(pair.Field))
                {
                    WriteFieldMaybeValue(context.Reply, pair, !scan.NoValues);
                }
            }
            return;
        }
        var entries = context.ScratchItems;
        entries.Clear();
        var next = hash.ScanTable(scan.Cursor, scan.Count, entries);
        var kept = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            if (scan.Matches(PackedEntry.Key((byte[])entries[i])))
            {
                entries[kept++] = entries[i];
            }
        }
        ScanArguments.WriteCursor(context.Reply, next);
        context.Reply.WriteArrayHeader(scan.NoValues ? kept : kept * 2);
        for (var i = 0; i < kept; i++)
        {
            var entry = (byte[])entries[i];
            WriteFieldMaybeValue(context.Reply, new FieldValue(PackedEntry.Key(entry), PackedEntry.Value(entry)), !scan.NoValues);
        }
        entries.Clear();
    }

    /// <summary>
    /// HRANDFIELD key [count [WITHVALUES]]: without a count one field (or nil); a positive count gives
    /// distinct fields, a negative one allows repeats. With values, RESP3 nests each pair in an array.
    /// </summary>
    private static void HRandField(CommandContext context, CommandArgs args)
    {
        if (args.Count == 2)
        {
            if (context.TryFindObject<HashObject>(args[1], out var single))
            {
                WriteSingleRandomField(context, args, single);
            }
            return;
        }
        if (!RangeArgument.TryParse(context, args[2], -long.MaxValue, long.MaxValue, null, out var requested))
        {
            return;
        }
        var withValues = args.Count == 4 && args.EqualsIgnoreCase(3, "WITHVALUES"u8);
        if (args.Count > 4 || (args.Count == 4 && !withValues))
        {
            context.Reply.WriteError(CommandErrors.Syntax);
            return;
        }
        if (requested is < -MaxRandomCount or > MaxRandomCount)
        {
            context.Reply.WriteError(CommandErrors.OutOfRange);
            return;
        }
        if (!context.TryFindObject<HashObject>(args[1], out var hash))
        {
            return;
        }
        if (hash is null || requested == 0)
        {
            context.Reply.WriteArrayHeader(0);
            return;
        }
        var random = new SeededRandom(context.RandomSeed(args[1]));
        var count = (int)Math.Abs(requested);
        var pairsFlat = withValues && !context.Reply.IsResp3;
        if (requested < 0 || count == 1)
        {
            context.Reply.WriteArrayHeader(pairsFlat ? count * 2 : count);
            for (var i = 0; i < count; i++)
            {
                WriteRandomPair(context.Reply, hash.At(((ISampleable)hash).RandomHandle(ref random)), withValues);
            }
            return;
        }
        if (count >= hash.Count)
        {
            context.Reply.WriteArrayHeader(pairsFlat ? hash.Count * 2 : hash.Count);
            foreach (var pair in hash)
            {
                WriteRandomPair(context.Reply, pair, withValues);
            }
            return;
        }
        var handles = new List<int>(count);
        DistinctSampler.Pick(hash, count, ref random, handles);
        context.Reply.WriteArrayHeader(pairsFlat ? count * 2 : count);
        foreach (var handle in handles)
        {
            WriteRandomPair(context.Reply, hash.At(handle), withValues);
        }
    }

    private static void WriteSingleRandomField(CommandContext context, CommandArgs args, HashObject? hash)
    {
        if (hash is null)
        {
            context.Reply.WriteNull();
            return;
        }
        var random = new SeededRandom(context.RandomSeed(args[1]));
        context.Reply.WriteBulkString(hash.At(((ISampleable)hash).RandomHandle(ref random)).Field);
    }

    private static void WriteRandomPair(RespWriter reply, FieldValue pair, bool withValues)
    {
        if (withValues && reply.IsResp3)
        {
            reply.WriteArrayHeader(2);
        }
        WriteFieldMaybeValue(reply, pair, withValues);
    }

    private static void WriteFieldMaybeValue(RespWriter reply, FieldValue pair, bool withValue)
    {
        reply.WriteBulkString(pair.Field);
        if (withValue)
        {
            reply.WriteBulkString(pair.Value);
        }
    }
}
