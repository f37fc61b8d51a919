using Dst.Commands.KeySpecs;
using Dst.Commands.Lists;
using Dst.Commands.Strings;
using Dst.Protocol;
using static Dst.Commands.CommandFlags;

namespace Dst.Commands.SortedSets;

/// <summary>
/// The sorted-set commands: their table rows and the handlers for adding, removing and looking up
/// members. Ranges, pops, set algebra and scans live in the other <c>SortedSet*Commands</c> files.
/// BZPOPMIN/BZPOPMAX/BZMPOP follow the blocking contract described on <see cref="ListCommands"/>.
/// </summary>
public static partial class SortedSetCommands
{
    private const string Group = "sorted-set";

    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        new("zadd", -4, Write | DenyOom | Fast, 1, 1, 1, Group, "Adds one or more members to a sorted set, or updates their scores. Creates the key if it doesn't exist.", "1.2.0", ZAdd, "O(log(N)) for each item added, where N is the number of elements in the sorted set.") { WouldChangeNothing = ZAddOptions.WouldChangeNothing, KeyFlags = "RW update", Syntax = "key:key [condition{nx:NX|xx:XX}] [comparison{gt:GT|lt:LT}] [change:CH] [increment:INCR] score_member(score:double member:string)..." },
        new("zincrby", 4, Write | DenyOom | Fast, 1, 1, 1, Group, "Increments the score of a member in a sorted set.", "1.2.0", ZIncrBy, "O(log(N)) where N is the number of elements in the sorted set.") { KeyFlags = "RW access update", Syntax = "key:key increment:integer member:string" },
        new("zrem", -3, Write | Fast | NoOpWithoutKeys, 1, 1, 1, Group, "Removes one or more members from a sorted set. Deletes the sorted set if all members were removed.", "1.2.0", ZRem, "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.") { KeyFlags = "RW delete", Syntax = "key:key member:string..." },
        new("zscore", 3, ReadOnly | Fast, 1, 1, 1, Group, "Returns the score of a member in a sorted set.", "1.2.0", ZScore, "O(1)") { KeyFlags = "RO access", Syntax = "key:key member:string" },
        new("zmscore", -3, ReadOnly | Fast, 1, 1, 1, Group, "Returns the score of one or more members in a sorted set.", "6.2.0", ZMScore, "O(N) where N is the number of members being requested.") { KeyFlags = "RO access", Syntax = "key:key member:string..." },
        new("zcard", 2, ReadOnly | Fast, 1, 1, 1, Group, "Returns the number of members in a sorted set.", "1.2.0", ZCard, "O(1)") { KeyFlags = "RO", Syntax = "key:key" },
        new("zcount", 4, ReadOnly | Fast, 1, 1, 1, Group, "Returns the count of members in a sorted set that have scores within a range.", "2.0.0", ZCount, "O(log(N)) with N being the number of elements in the sorted set.") { KeyFlags = "RO access", Syntax = "key:key min:double max:double" },
        new("zlexcount", 4, ReadOnly | Fast, 1, 1, 1, Group, "Returns the number of members in a sorted set within a lexicographical range.", "2.8.9", ZLexCount, "O(log(N)) with N being the number of elements in the sorted set.") { KeyFlags = "RO access", Syntax = "key:key min:string max:string" },
        new("zrank", -3, ReadOnly | Fast, 1, 1, 1, Group, "Returns the index of a member in a sorted set ordered by ascending scores.", "2.0.0", (c, a) => ZRank(c, a, reverse: false), "O(log(N))") { KeyFlags = "RO access", Syntax = "key:key member:string" },
        new("zrevrank", -3, ReadOnly | Fast, 1, 1, 1, Group, "Returns the index of a member in a sorted set ordered by descending scores.", "2.0.0", (c, a) => ZRank(c, a, reverse: true), "O(log(N))") { KeyFlags = "RO access", Syntax = "key:key member:string" },
        new("zrange", -4, ReadOnly, 1, 1, 1, Group, "Returns members in a sorted set within a range of indexes.", "1.2.0", (c, a) => Range(c, a, null, null, store: false), "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.") { KeyFlags = "RO access", Syntax = "key:key start:string stop:string [sortby{byscore:BYSCORE|bylex:BYLEX}] [rev:REV] [LIMIT offset_count(offset:integer count:integer)] [withscores:WITHSCORES]" },
        new("zrangestore", -5, Write | DenyOom, 1, 2, 1, Group, "Stores a range of members from sorted set in a key.", "6.2.0", (c, a) => Range(c, a, null, null, store: true), "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.") { KeyFlags = "OW update; RO access", Syntax = "dst:key src:key min:string max:string [sortby{byscore:BYSCORE|bylex:BYLEX}] [rev:REV] [LIMIT offset_count(offset:integer count:integer)]" },
        new("zrangebyscore", -4, ReadOnly, 1, 1, 1, Group, "Returns members in a sorted set within a range of scores.", "1.0.5", (c, a) => Range(c, a, RangeKind.Score, false, store: false), "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned.") { KeyFlags = "RO access", Syntax = "key:key min:double max:double [withscores:WITHSCORES] [LIMIT offset_count(offset:integer count:integer)]" },
        new("zrevrangebyscore", -4, ReadOnly, 1, 1, 1, Group, "Returns members in a sorted set within a range of scores in reverse order.", "2.2.0", (c, a) => Range(c, a, RangeKind.Score, true, store: false), "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned.") { KeyFlags = "RO access", Syntax = "key:key max:double min:double [withscores:WITHSCORES] [LIMIT offset_count(offset:integer count:integer)]" },
        new("zrangebylex", -4, ReadOnly, 1, 1, 1, Group, "Returns members in a sorted set within a lexicographical range.", "2.8.9", (c, a) => Range(c, a, RangeKind.Lex, false, store: false), "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned.") { KeyFlags = "RO access", Syntax = "key:key min:string max:string [LIMIT offset_count(offset:integer count:integer)]" },
        new("zrevrangebylex", -4, ReadOnly, 1, 1, 1, Group, "Returns members in a sorted set within a lexicographical range in reverse order.", "2.8.9", (c, a) => Range(c, a, RangeKind.Lex, true, store: false), "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned.") { KeyFlags = "RO access", Syntax = "key:key max:string min:string [LIMIT offset_count(offset:integer count:integer)]" },
        new("zrevrange", -4, ReadOnly, 1, 1, 1, Group, "Returns members in a sorted set within a range of indexes in reverse order.", "1.2.0", (c, a) => Range(c, a, RangeKind.Rank, true, store: false), "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.") { KeyFlags = "RO access", Syntax = "key:key start:integer stop:integer [withscores:WITHSCORES]" },
        new("zremrangebyrank", 4, Write | NoOpWithoutKeys, 1, 1, 1, Group, "Removes members in a sorted set within a range of indexes. Deletes the sorted set if all members were removed.", "2.0.0", (c, a) => RemoveRange(c, a, RangeKind.Rank), "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.") { KeyFlags = "RW delete", Syntax = "key:key start:integer stop:integer" },
        new("zremrangebyscore", 4, Write | NoOpWithoutKeys, 1, 1, 1, Group, "Removes members in a sorted set within a range of scores. Deletes the sorted set if all members were removed.", "1.2.0", (c, a) => RemoveRange(c, a, RangeKind.Score), "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.") { KeyFlags = "RW delete", Syntax = "key:key min:double max:double" },
        new("zremrangebylex", 4, Write | NoOpWithoutKeys, 1, 1, 1, Group, "Removes members in a sorted set within a lexicographical range. Deletes the sorted set if all members were removed.", "2.8.9", (c, a) => RemoveRange(c, a, RangeKind.Lex), "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.") { KeyFlags = "RW delete", Syntax = "key:key min:string max:string" },
        new("zpopmin", -2, Write | Fast | NoOpWithoutKeys, 1, 1, 1, Group, "Returns the lowest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.", "5.0.0", (c, a) => ZPop(c, a, min: true), "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.") { KeyFlags = "RW access delete", Syntax = "key:key [count:integer]" },
        new("zpopmax", -2, Write | Fast | NoOpWithoutKeys, 1, 1, 1, Group, "Returns the highest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.", "5.0.0", (c, a) => ZPop(c, a, min: false), "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.") { KeyFlags = "RW access delete", Syntax = "key:key [count:integer]" },
        new("bzpopmin", -3, Write | Fast | Blocking, 1, -2, 1, Group, "Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.", "5.0.0", (c, a) => BZPop(c, a, min: true), "O(log(N)) with N being the number of elements in the sorted set.") { KeyFlags = "RW access delete", Syntax = "key:key... timeout:double" },
        new("bzpopmax", -3, Write | Fast | Blocking, 1, -2, 1, Group, "Removes and returns the member with the highest score from one or more sorted sets. Blocks until a member available otherwise.  Deletes the sorted set if the last element was popped.", "5.0.0", (c, a) => BZPop(c, a, min: false), "O(log(N)) with N being the number of elements in the sorted set.") { KeyFlags = "RW access delete", Syntax = "key:key... timeout:double" },
        new("zmpop", -4, Write | MovableKeys, 0, 0, 0, Group, "Returns the highest- or lowest-scoring members from one or more sorted sets after removing them. Deletes the sorted set if the last member was popped.", "7.0.0", (c, a) => ZMPop(c, a, 1, blocking: false), "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.") { FindKeys = KeyFinders.AfterCount(1), KeyFlags = "RW access delete", Syntax = "numkeys:integer key:key... where{min:MIN|max:MAX} [COUNT count:integer]" },
        new("bzmpop", -5, Write | Blocking | MovableKeys, 0, 0, 0, Group, "Removes and returns a member by score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.", "7.0.0", BZMPop, "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.") { FindKeys = KeyFinders.AfterCount(2), KeyFlags = "RW access delete", Syntax = "timeout:double numkeys:integer key:key... where{min:MIN|max:MAX} [COUNT count:integer]" },
        new("zunion", -3, ReadOnly | MovableKeys, 0, 0, 0, Group, "Returns the union of multiple sorted sets.", "6.2.0", (c, a) => Combine(c, a, SetOperation.Union, store: false), "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.") { FindKeys = KeyFinders.AfterCount(1), KeyFlags = "RO access", Syntax = "numkeys:integer key:key... [WEIGHTS weight:integer...] [AGGREGATE aggregate{sum:SUM|min:MIN|max:MAX}] [withscores:WITHSCORES]" },
        new("zinter", -3, ReadOnly | MovableKeys, 0, 0, 0, Group, "Returns the intersect of multiple sorted sets.", "6.2.0", (c, a) => Combine(c, a, SetOperation.Intersection, store: false), "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.") { FindKeys = KeyFinders.AfterCount(1), KeyFlags = "RO access", Syntax = "numkeys:integer key:key... [WEIGHTS weight:integer...] [AGGREGATE aggregate{sum:SUM|min:MIN|max:MAX}] [withscores:WITHSCORES]" },
        new("zdiff", -3, ReadOnly | MovableKeys, 0, 0, 0, Group, "Returns the difference between multiple sorted sets.", "6.2.0", (c, a) => Combine(c, a, SetOperation.Difference, store: false), "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.") { FindKeys = KeyFinders.AfterCount(1), KeyFlags = "RO access", Syntax = "numkeys:integer key:key... [withscores:WITHSCORES]" },
        new("zunionstore", -4, Write | DenyOom | MovableKeys, 1, 1, 1, Group, "Stores the union of multiple sorted sets in a key.", "2.0.0", (c, a) => Combine(c, a, SetOperation.Union, store: true), "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.") { FindKeys = KeyFinders.AfterCount(2, destination: 1), KeyFlags = "OW update; RO access", Syntax = "destination:key numkeys:integer key:key... [WEIGHTS weight:integer...] [AGGREGATE aggregate{sum:SUM|min:MIN|max:MAX}]" },
        new("zinterstore", -4, Write | DenyOom | MovableKeys, 1, 1, 1, Group, "Stores the intersect of multiple sorted sets in a key.", "2.0.0", (c, a) => Combine(c, a, SetOperation.Intersection, store: true), "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.") { FindKeys = KeyFinders.AfterCount(2, destination: 1), KeyFlags = "OW update; RO access", Syntax = "destination:key numkeys:integer key:key... [WEIGHTS weight:integer...] [AGGREGATE aggregate{sum:SUM|min:MIN|max:MAX}]" },
        new("zdiffstore", -4, Write | DenyOom | MovableKeys, 1, 1, 1, Group, "Stores the difference of multiple sorted sets in a key.", "6.2.0", (c, a) => Combine(c, a, SetOperation.Difference, store: true), "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.") { FindKeys = KeyFinders.AfterCount(2, destination: 1), KeyFlags = "OW update; RO access", Syntax = "destination:key numkeys:integer key:key..." },
        new("zrandmember", -2, ReadOnly, 1, 1, 1, Group, "Returns one or more random members from a sorted set.", "6.2.0", ZRandMember, "O(N) where N is the number of members returned") { KeyFlags = "RO access", Syntax = "key:key [options(count:integer [withscores:WITHSCORES])]" },
        new("zscan", -3, ReadOnly, 1, 1, 1, Group, "Iterates over members and scores of a sorted set.", "2.8.0", ZScan, "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.") { KeyFlags = "RO access", Syntax = "key:key cursor:integer [MATCH pattern:pattern] [COUNT count:integer]" },
    ];

    private static void ZAdd(CommandContext context, CommandArgs args)
    {
        if (ZAddOptions.TryParse(context, args, out var options))
        {
            AddMembers(context, args, options);
        }
        else
        {
            context.ReportNothingChanged();
        }
    }

    private static void ZIncrBy(CommandContext context, CommandArgs args)
    {
        if (!FloatText.TryParse(args[2], out _))
        {
            context.Reply.WriteError(CommandErrors.NotFloat);
            return;
        }
        AddMembers(context, args, new ZAddOptions(ZAddFlags.Incr, 2, 1));
    }

    /// <summary>ZADD's work once the options and every score parsed; ZINCRBY is ZADD INCR.</summary>
    private static void AddMembers(CommandContext context, CommandArgs args, ZAddOptions options)
    {
        if (!SortedSetReplies.TryFind(context, args[1], out var set))
        {
            context.ReportNothingChanged();
            return;
        }
        var incr = options.Has(ZAddFlags.Incr);
        if (set is null)
        {
            if (options.Has(ZAddFlags.Xx))
            {
                context.ReportNothingChanged();
                WriteAddResult(context, incr, 0, double.NaN);
                return;
            }
            var longest = 0;
            for (var pair = 0; pair < options.Pairs; pair++)
            {
                longest = Math.Max(longest, options.Member(args, pair).Length);
            }
            set = SortedSetObject.Create(args.ToArray(1), options.Pairs, longest, context.Options);
            context.Keyspace.SetObject(set);
        }
        long changed = 0;
        var touched = false;
        var result = double.NaN;
        for (var pair = 0; pair < options.Pairs; pair++)
        {
            var member = options.Member(args, pair);
            var score = options.Score(args, pair);
            var entry = set.Find(member);
            if (entry is null)
            {
                if (options.Has(ZAddFlags.Xx))
                {
                    continue;
                }
                set.Add(member, score, context.Options);
                changed++;
                touched = true;
                result = score;
                continue;
            }
            if (options.Has(ZAddFlags.Nx))
            {
                continue;
            }
            var current = SortedSetEntry.Score(entry);
            var updated = incr ? current + score : score;
            if (double.IsNaN(updated))
            {
                context.Reply.WriteError(SortedSetReplies.NaNScore);
                return;
            }
            if ((options.Has(ZAddFlags.Gt) && updated <= current) || (options.Has(ZAddFlags.Lt) && updated >= current))
            {
                continue;
            }
            result = updated;
            if (updated != current)
            {
                set.UpdateScore(entry, updated);
                changed += options.Has(ZAddFlags.Ch) ? 1 : 0;
                touched = true;
            }
        }
        if (!touched)
        {
            context.ReportNothingChanged();
        }
        WriteAddResult(context, incr, changed, result);
    }

    /// <summary>INCR replies the new score, or nil when NX/XX/GT/LT stopped it; otherwise the count.</summary>
    private static void WriteAddResult(CommandContext context, bool incr, long changed, double score)
    {
        if (!incr)
        {
            context.Reply.WriteInteger(changed);
        }
        else if (double.IsNaN(score))
        {
            context.Reply.WriteNull();
        }
        else
        {
            context.Reply.WriteDouble(score);
        }
    }

    private static void ZRem(CommandContext context, CommandArgs args)
    {
        if (!SortedSetReplies.TryFind(context, args[1], out var set))
        {
            context.ReportNothingChanged();
            return;
        }
        var removed = 0;
        for (var i = 2; set is not null && i < args.Count; i++)
        {
            removed += set.Remove(args[i]) ? 1 : 0;
        }
        if (set is not null)
        {
            SortedSetReplies.DeleteIfEmpty(context, set);
        }
        if (removed == 0)
        {
            context.ReportNothingChanged();
        }
        context.Reply.WriteInteger(removed);
    }

    private static void ZScore(CommandContext context, CommandArgs args)
    {
        if (!SortedSetReplies.TryFind(context, args[1], out var set))
        {
            return;
        }
        if (set is not null && set.TryGetScore(args[2], out var score))
        {
            context.Reply.WriteDouble(score);
        }
        else
        {
            context.Reply.WriteNull();
        }
    }

    private static void ZMScore(CommandContext context, CommandArgs args)
    {
        if (!SortedSetReplies.TryFind(context, args[1], out var set))
        {
            return;
        }
        context.Reply.WriteArrayHeader(args.Count - 2);
        for (var i = 2; i < args.Count; i++)
        {
            if (set is not null && set.TryGetScore(args[i], out var score))
            {
                context.Reply.WriteDouble(score);
            }
            else
            {
                context.Reply.WriteNull();
            }
        }
    }

    private static void ZCard(CommandContext context, CommandArgs args)
    {
        if (SortedSetReplies.TryFind(context, args[1], out var set))
        {
            context.Reply.WriteInteger(set?.Count ?? 0);
        }
    }

    private static void ZCount(CommandContext context, CommandArgs args)
    {
        if (!ScoreRange.TryParse(args[2], args[3], out var range))
        {
            context.Reply.WriteError(ScoreRange.NotAFloat);
            return;
        }
        if (SortedSetReplies.TryFind(context, args[1], out var set))
        {
            var (start, end) = set is null ? (0, 0) : range.Ranks(set.Tree);
            context.Reply.WriteInteger(end - start);
        }
    }

    private static void ZLexCount(CommandContext context, CommandArgs args)
    {
        var range = LexRange.TryParse(args[2], args[3]);
        if (range is null)
        {
            context.Reply.WriteError(LexRange.NotValid);
            return;
        }
        if (SortedSetReplies.TryFind(context, args[1], out var set))
        {
            var (start, end) = set is null ? (0, 0) : range.Ranks(set.Tree);
            context.Reply.WriteInteger(end - start);
        }
    }

    private static void ZRank(CommandContext context, CommandArgs args, bool reverse)
    {
        if (args.Count > 4)
        {
            context.Reply.WriteError(CommandErrors.WrongArity(reverse ? "zrevrank" : "zrank"));
            return;
        }
        var withScore = args.Count == 4;
        if (withScore && !args.EqualsIgnoreCase(3, "WITHSCORE"u8))
        {
            context.Reply.WriteError(CommandErrors.Syntax);
            return;
        }
        if (!SortedSetReplies.TryFind(context, args[1], out var set))
        {
            return;
        }
        var entry = set?.Find(args[2]);
        if (entry is null)
        {
            if (withScore)
            {
                context.Reply.WriteNullArray();
            }
            else
            {
                context.Reply.WriteNull();
            }
            return;
        }
        var rank = set!.Tree.Rank(SortedSetEntry.Score(entry), args[2]);
        if (withScore)
        {
            context.Reply.WriteArrayHeader(2);
        }
        context.Reply.WriteInteger(reverse ? set.Count - 1 - rank : rank);
        if (withScore)
        {
            context.Reply.WriteDouble(SortedSetEntry.Score(entry));
        }
    }
}
