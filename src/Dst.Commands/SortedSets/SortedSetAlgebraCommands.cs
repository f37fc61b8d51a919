using Dst.Commands.Sets;
using Dst.Commands.Storage;
using Dst.Commands.Strings;
using Dst.Protocol;

namespace Dst.Commands.SortedSets;

internal enum SetOperation
{
    Union,
    Intersection,
    Difference,
}

internal enum Aggregate
{
    Sum,
    Min,
    Max,
}

/// <summary>ZUNION, ZINTER, ZDIFF and their STORE forms (Redis's <c>zunionInterDiffGenericCommand</c>).</summary>
public static partial class SortedSetCommands
{
    private static void Combine(CommandContext context, CommandArgs args, SetOperation operation, bool store)
    {
        var numKeysIndex = store ? 2 : 1;
        if (!context.TryParseInteger(args[numKeysIndex], out var numKeys))
        {
            return;
        }
        if (numKeys < 1)
        {
            context.Reply.WriteError($"ERR at least 1 input key is needed for '{Name(operation, store)}' command");
            return;
        }
        if (numKeys > args.Count - numKeysIndex - 1)
        {
            context.Reply.WriteError(CommandErrors.Syntax);
            return;
        }
        // Redis checks the input types before it parses the options.
        var inputs = new SortedSetObject?[numKeys];
        for (var i = 0; i < numKeys; i++)
        {
            if (!TryFindInput(context, args[numKeysIndex + 1 + i], out inputs[i]))
            {
                return;
            }
        }
        if (!TryParseCombineOptions(context, args, numKeysIndex + 1 + (int)numKeys, operation, store, inputs.Length, out var weights, out var aggregate, out var withScores))
        {
            return;
        }
        var result = operation switch
        {
            SetOperation.Union => Union(inputs, weights, aggregate),
            SetOperation.Intersection => Intersect(inputs, weights, aggregate),
            _ => Difference(inputs),
        };
        result.Sort(static (a, b) => SortedSetEntry.Compare(a, SortedSetEntry.Score(b), SortedSetEntry.Member(b)));
        if (store)
        {
            StoreEntries(context, args.ToArray(1), result);
            return;
        }
        var pairs = withScores && context.Reply.IsResp3;
        context.Reply.WriteArrayHeader(withScores && !pairs ? result.Count * 2 : result.Count);
        foreach (var entry in result)
        {
            SortedSetReplies.WriteMember(context.Reply, entry, withScores, pairs);
        }
    }

    /// <summary>
    /// An input is a sorted set or, as in Redis, a plain set whose members all score 1 (read into a
    /// temporary sorted set); any other type is WRONGTYPE.
    /// </summary>
    private static bool TryFindInput(CommandContext context, ReadOnlySpan<byte> key, out SortedSetObject? input)
    {
        input = null;
        var slot = context.Keyspace.Find(key);
        if (slot >= 0 && context.Keyspace.KindAt(slot) == ValueKind.Set && context.Keyspace.ObjectAt(slot) is SetObject set)
        {
            input = SortedSetObject.Create([], set.Count, int.MaxValue, context.Options);
            Span<byte> scratch = stackalloc byte[24];
            foreach (var member in set.Members(scratch))
            {
                input.Add(member, 1, context.Options);
            }
            return true;
        }
        return SortedSetReplies.TryFind(context, key, out input);
    }

    private static bool TryParseCombineOptions(CommandContext context, CommandArgs args, int start, SetOperation operation, bool store, int inputs, out double[]? weights, out Aggregate aggregate, out bool withScores)
    {
        weights = null;
        aggregate = Aggregate.Sum;
        withScores = false;
        for (var i = start; i < args.Count; i++)
        {
            var remaining = args.Count - i;
            if (operation != SetOperation.Difference && remaining >= inputs + 1 && args.EqualsIgnoreCase(i, "WEIGHTS"u8))
            {
                weights = new double[inputs];
                for (var w = 0; w < inputs; w++)
                {
                    if (!FloatText.TryParse(args[++i], out weights[w]))
                    {
                        context.Reply.WriteError("ERR weight value is not a float");
                        return false;
                    }
                }
            }
            else if (operation != SetOperation.Difference && remaining >= 2 && args.EqualsIgnoreCase(i, "AGGREGATE"u8))
            {
                i++;
                if (args.EqualsIgnoreCase(i, "SUM"u8))
                {
                    aggregate = Aggregate.Sum;
                }
                else if (args.EqualsIgnoreCase(i, "MIN"u8))
                {
                    aggregate = Aggregate.Min;
                }
                else if (args.EqualsIgnoreCase(i, "MAX"u8))
                {
                    aggregate = Aggregate.Max;
                }
                else
                {
                    context.Reply.WriteError(CommandErrors.Syntax);
                    return false;
                }
            }
            else if (!store && args.EqualsIgnoreCase(i, "WITHSCORES"u8))
            {
                withScores = true;
            }
            else
            {
                context.Reply.WriteError(CommandErrors.Syntax);
                return false;
            }
        }
        return true;
    }

    private static List<byte[]> Union(SortedSetObject?[] inputs, double[]? weights, Aggregate aggregate)
    {
        var totals = new MemberTable(inputs.Max(input => input?.Count ?? 0));
        var result = new List<byte[]>();
        for (var i = 0; i < inputs.Length; i++)
        {
            for (var cursor = inputs[i]?.Tree.First ?? default; cursor.IsValid; cursor.MoveNext())
            {
                var member = SortedSetEntry.Member(cursor.Entry);
                var score = Weighted(cursor.Entry, weights, i);
                var total = totals.Find(member);
                if (total is null)
                {
                    total = SortedSetEntry.Create(member, score);
                    totals.Add(total);
                    result.Add(total);
                }
                else
                {
                    SortedSetEntry.SetScore(total, Combine(SortedSetEntry.Score(total), score, aggregate));
                }
            }
        }
        return result;
    }

    /// <summary>Walks the smallest input (first of equals, so replicas agree) and keeps members every other input has.</summary>
    private static List<byte[]> Intersect(SortedSetObject?[] inputs, double[]? weights, Aggregate aggregate)
    {
        var result = new List<byte[]>();
        if (inputs.Any(input => input is null))
        {
            return result;
        }
        var order = Enumerable.Range(0, inputs.Length).OrderBy(i => inputs[i]!.Count).ToArray();
        for (var cursor = inputs[order[0]]!.Tree.First; cursor.IsValid; cursor.MoveNext())
        {
            var member = SortedSetEntry.Member(cursor.Entry);
            var score = Weighted(cursor.Entry, weights, order[0]);
            var inAll = true;
            for (var j = 1; j < order.Length && inAll; j++)
            {
                var other = inputs[order[j]]!.Find(member);
                inAll = other is not null;
                if (inAll)
                {
                    score = Combine(score, Weighted(other!, weights, order[j]), aggregate);
                }
            }
            if (inAll)
            {
                result.Add(SortedSetEntry.Create(member, score));
            }
        }
        return result;
    }

    private static List<byte[]> Difference(SortedSetObject?[] inputs)
    {
        var result = new List<byte[]>();
        for (var cursor = inputs[0]?.Tree.First ?? default; cursor.IsValid; cursor.MoveNext())
        {
            var member = SortedSetEntry.Member(cursor.Entry);
            var elsewhere = false;
            for (var i = 1; i < inputs.Length && !elsewhere; i++)
            {
                elsewhere = inputs[i]?.Find(member) is not null;
            }
            if (!elsewhere)
            {
                result.Add(SortedSetEntry.Create(member, SortedSetEntry.Score(cursor.Entry)));
            }
        }
        return result;
    }

    /// <summary>Score times weight; Redis turns the NaN of inf * 0 into 0.</summary>
    private static double Weighted(byte[] entry, double[]? weights, int input)
    {
        var score = SortedSetEntry.Score(entry) * (weights?[input] ?? 1);
        return double.IsNaN(score) ? 0 : score;
    }

    private static double Combine(double total, double score, Aggregate aggregate) => aggregate switch
    {
        Aggregate.Min => Math.Min(total, score),
        Aggregate.Max => Math.Max(total, score),
        // inf + -inf is NaN; Redis stores 0 instead.
        _ => double.IsNaN(total + score) ? 0 : total + score,
    };

    /// <summary>Replaces the destination with the sorted entries (deleting it when there are none) and replies their number.</summary>
    private static void StoreEntries(CommandContext context, byte[] destination, List<byte[]> sorted)
    {
        if (sorted.Count == 0)
        {
            context.Keyspace.Delete(destination);
            context.Reply.WriteInteger(0);
            return;
        }
        var longest = sorted.Max(entry => entry.Length - SortedSetEntry.ScoreSize);
        var set = SortedSetObject.Create(destination, sorted.Count, longest, context.Options);
        foreach (var entry in sorted)
        {
            set.Add(SortedSetEntry.Member(entry), SortedSetEntry.Score(entry), context.Options);
        }
        context.Keyspace.SetObject(set);
        context.Reply.WriteInteger(sorted.Count);
    }

    private static string Name(SetOperation operation, bool store) => operation switch
    {
        SetOperation.Union => "zunion",
        SetOperation.Intersection => "zinter",
        _ => "zdiff",
    } + (store ? "store" : "");
}
