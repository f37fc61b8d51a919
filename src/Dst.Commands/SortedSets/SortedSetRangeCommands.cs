using Dst.Commands.Lists;
using Dst.Protocol;

namespace Dst.Commands.SortedSets;

internal enum RangeKind
{
    Rank,
    Score,
    Lex,
}

/// <summary>ZRANGE in all its forms (Redis's <c>zrangeGenericCommand</c>), ZRANGESTORE and ZREMRANGEBY*.</summary>
public static partial class SortedSetCommands
{
    /// <summary>
    /// <paramref name="fixedKind"/> and <paramref name="fixedReverse"/> are set for the legacy commands
    /// (ZRANGEBYSCORE, ZREVRANGE, ...), which then refuse BYSCORE/BYLEX/REV; ZRANGE and ZRANGESTORE pass null.
    /// </summary>
    private static void Range(CommandContext context, CommandArgs args, RangeKind? fixedKind, bool? fixedReverse, bool store)
    {
        var keyIndex = store ? 2 : 1;
        var kind = fixedKind;
        var reverse = fixedReverse;
        var withScores = false;
        long offset = 0, limit = -1;
        for (var i = keyIndex + 3; i < args.Count; i++)
        {
            if (!store && args.EqualsIgnoreCase(i, "WITHSCORES"u8))
            {
                withScores = true;
            }
            else if (i + 2 < args.Count && args.EqualsIgnoreCase(i, "LIMIT"u8))
            {
                if (!context.TryParseInteger(args[i + 1], out offset) || !context.TryParseInteger(args[i + 2], out limit))
                {
                    return;
                }
                i += 2;
            }
            else if (reverse is null && args.EqualsIgnoreCase(i, "REV"u8))
            {
                reverse = true;
            }
            else if (kind is null && args.EqualsIgnoreCase(i, "BYLEX"u8))
            {
                kind = RangeKind.Lex;
            }
            else if (kind is null && args.EqualsIgnoreCase(i, "BYSCORE"u8))
            {
                kind = RangeKind.Score;
            }
            else
            {
                context.Reply.WriteError(CommandErrors.Syntax);
                return;
            }
        }
        var rangeKind = kind ?? RangeKind.Rank;
        var descending = reverse ?? false;
        if (limit != -1 && rangeKind == RangeKind.Rank)
        {
            context.Reply.WriteError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
            return;
        }
        if (withScores && rangeKind == RangeKind.Lex)
        {
            context.Reply.WriteError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
            return;
        }
        // Reversed score and lex ranges are written max first.
        var (minIndex, maxIndex) = descending && rangeKind != RangeKind.Rank ? (keyIndex + 2, keyIndex + 1) : (keyIndex + 1, keyIndex + 2);
        if (!RangeQuery.TryParse(context, args[minIndex], args[maxIndex], rangeKind, out var query)
            || !SortedSetReplies.TryFind(context, args[keyIndex], out var set))
        {
            return;
        }
        var (first, count) = set is null ? (0, 0) : query.Window(set.Tree, descending, offset, limit);
        if (store)
        {
            StoreRange(context, args.ToArray(1), set, first, count, descending);
        }
        else if (count == 0)
        {
            context.Reply.WriteArrayHeader(0);
        }
        else
        {
            SortedSetReplies.WriteRange(context.Reply, set!.Tree.At(first), count, descending, withScores);
        }
    }

    /// <summary>Replaces the destination with the selected members (deleting it when there are none) and replies their number.</summary>
    private static void StoreRange(CommandContext context, byte[] destination, SortedSetObject? source, int first, int count, bool descending)
    {
        if (count == 0)
        {
            context.Keyspace.Delete(destination);
            context.Reply.WriteInteger(0);
            return;
        }
        var cursor = source!.Tree.At(first);
        var longest = 0;
        var scan = cursor;
        for (var i = 0; i < count; i++, Step(ref scan, descending))
        {
            longest = Math.Max(longest, SortedSetEntry.Member(scan.Entry).Length);
        }
        var stored = SortedSetObject.Create(destination, count, longest, context.Options);
        for (var i = 0; i < count; i++, Step(ref cursor, descending))
        {
            stored.Add(SortedSetEntry.Member(cursor.Entry), SortedSetEntry.Score(cursor.Entry), context.Options);
        }
        context.Keyspace.SetObject(stored);
        context.Reply.WriteInteger(count);
    }

    private static void Step(ref ScoreTree.Cursor cursor, bool descending)
    {
        if (descending)
        {
            cursor.MovePrevious();
        }
        else
        {
            cursor.MoveNext();
        }
    }

    private static void RemoveRange(CommandContext context, CommandArgs args, RangeKind kind)
    {
        if (!RangeQuery.TryParse(context, args[2], args[3], kind, out var query)
            || !SortedSetReplies.TryFind(context, args[1], out var set))
        {
            return;
        }
        if (set is null)
        {
            context.Reply.WriteInteger(0);
            return;
        }
        var (first, count) = query.Window(set.Tree, descending: false, 0, -1);
        for (var i = 0; i < count; i++)
        {
            set.RemoveAt(first);
        }
        SortedSetReplies.DeleteIfEmpty(context, set);
        context.Reply.WriteInteger(count);
    }

    /// <summary>A parsed range of any kind and how it selects ranks.</summary>
    private readonly struct RangeQuery
    {
        private readonly RangeKind _kind;
        private readonly long _start;
        private readonly long _end;
        private readonly ScoreRange _scores;
        private readonly LexRange? _lex;

        private RangeQuery(RangeKind kind, long start, long end, ScoreRange scores, LexRange? lex)
        {
            _kind = kind;
            _start = start;
            _end = end;
            _scores = scores;
            _lex = lex;
        }

        public static bool TryParse(CommandContext context, ReadOnlySpan<byte> min, ReadOnlySpan<byte> max, RangeKind kind, out RangeQuery query)
        {
            query = default;
            switch (kind)
            {
                case RangeKind.Rank:
                    if (!context.TryParseInteger(min, out var start) || !context.TryParseInteger(max, out var end))
                    {
                        return false;
                    }
                    query = new RangeQuery(kind, start, end, default, null);
                    return true;
                case RangeKind.Score:
                    if (!ScoreRange.TryParse(min, max, out var scores))
                    {
                        context.Reply.WriteError(ScoreRange.NotAFloat);
                        return false;
                    }
                    query = new RangeQuery(kind, 0, 0, scores, null);
                    return true;
                default:
                    var lex = LexRange.TryParse(min, max);
                    if (lex is null)
                    {
                        context.Reply.WriteError(LexRange.NotValid);
                        return false;
                    }
                    query = new RangeQuery(kind, 0, 0, default, lex);
                    return true;
            }
        }

        /// <summary>
        /// The rank to start from and how many members to take, walking down from it when
        /// <paramref name="descending"/>. LIMIT as Redis applies it: a negative offset selects
        /// nothing, a negative count means all.
        /// </summary>
        public (int First, int Count) Window(ScoreTree tree, bool descending, long offset, long limit)
        {
            var size = tree.Count;
            if (_kind == RangeKind.Rank)
            {
                long start = _start, end = _end;
                if (!ListLookup.ClampRange(ref start, ref end, size))
                {
                    return (0, 0);
                }
                var count = (int)(end - start + 1);
                return (descending ? size - 1 - (int)start : (int)start, count);
            }
            var (low, high) = _kind == RangeKind.Score ? _scores.Ranks(tree) : _lex!.Ranks(tree);
            if (offset < 0 || offset >= high - low)
            {
                return (0, 0);
            }
            var available = high - low - (int)offset;
            var taken = limit < 0 ? available : (int)Math.Min(limit, available);
            return (descending ? high - 1 - (int)offset : low + (int)offset, taken);
        }
    }
}
