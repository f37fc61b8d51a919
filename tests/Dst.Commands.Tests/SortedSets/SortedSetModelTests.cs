using System.Globalization;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.SortedSets;

/// <summary>
/// Random sorted-set operations against the state machine and against dictionaries of scores,
/// compared after every step. A small listpack limit makes conversions frequent.
/// Replay a failure with <c>DST_MODEL_SEED=&lt;seed&gt; dotnet test --filter SortedSetModelTests</c>.
/// </summary>
public sealed class SortedSetModelTests
{
    public static TheoryData<int> Seeds()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("DST_MODEL_SEED"), out var replay))
        {
            return new TheoryData<int> { replay };
        }
        return new TheoryData<int> { 31, 32, 33, 34 };
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Sorted_sets_match_a_dictionary_model(int seed)
    {
        var random = new Random(seed);
        var db = new Harness(new StateMachineOptions { ZsetMaxListpackEntries = 16 });
        var model = new Dictionary<string, Dictionary<string, double>>();
        for (var step = 0; step < 8_000; step++)
        {
            var key = $"z{random.Next(3)}";
            var set = model.GetValueOrDefault(key);
            var member = $"m{random.Next(40)}";
            var score = random.Next(-10, 10) / 2.0;
            var (command, expected) = random.Next(12) switch
            {
                0 or 1 or 2 => Add(model, key, member, score, random.Next(4)),
                3 => Incr(model, key, member, score),
                4 => Remove(model, key, member),
                5 => (new[] { "ZSCORE", key, member }, set is not null && set.TryGetValue(member, out var s) ? Bulk(Format(s)) : Nil),
                6 => Rank(set, key, member, reverse: random.Next(2) == 0),
                7 => ByScore(set, key, score, score + random.Next(0, 6), random.Next(-1, 4)),
                8 => (new[] { "ZCOUNT", key, $"({Format(score)}", "+inf" }, Int(set?.Count(pair => pair.Value > score) ?? 0)),
                9 => Pop(model, key, min: random.Next(2) == 0, random.Next(1, 4)),
                10 => RemoveByRank(model, key, random.Next(-5, 5), random.Next(-5, 5)),
                _ => (new[] { "ZCARD", key }, Int(set?.Count ?? 0)),
            };
            var actual = db.Run(command);
            Assert.True(expected == actual, $"DST_MODEL_SEED={seed}, step {step}: {string.Join(' ', command)} expected {expected.TrimEnd()} got {actual.TrimEnd()}");
            model = model.Where(pair => pair.Value.Count > 0).ToDictionary();
        }
        foreach (var (key, set) in model)
        {
            Assert.Equal(Bulks([.. Ordered(set).SelectMany(pair => new[] { pair.Key, Format(pair.Value) })]), db.Run("ZRANGE", key, "0", "-1", "WITHSCORES"));
        }
        Assert.Equal(model.Count, db.Machine.Keyspace.Count);
    }

    private static string Format(double score) => score.ToString(CultureInfo.InvariantCulture);

    private static List<KeyValuePair<string, double>> Ordered(Dictionary<string, double> set) =>
        [.. set.OrderBy(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal)];

    private static (string[], string) Add(Dictionary<string, Dictionary<string, double>> model, string key, string member, double score, int flag)
    {
        var option = flag switch { 1 => "NX", 2 => "XX", 3 => "GT", _ => "CH" };
        string[] command = ["ZADD", key, option, Format(score), member];
        var exists = model.TryGetValue(key, out var set) && set.ContainsKey(member);
        if (option == "XX" && !exists)
        {
            return (command, Int(0));
        }
        set ??= model[key] = [];
        if (!exists)
        {
            set[member] = score;
            return (command, Int(1));
        }
        var current = set[member];
        var changes = option switch { "NX" => false, "GT" => score > current, _ => score != current };
        if (changes)
        {
            set[member] = score;
        }
        return (command, Int(option == "CH" && changes ? 1 : 0));
    }

    private static (string[], string) Incr(Dictionary<string, Dictionary<string, double>> model, string key, string member, double increment)
    {
        var set = model.TryGetValue(key, out var found) ? found : model[key] = [];
        set[member] = set.GetValueOrDefault(member) + increment;
        return (["ZINCRBY", key, Format(increment), member], Bulk(Format(set[member])));
    }

    private static (string[], string) Remove(Dictionary<string, Dictionary<string, double>> model, string key, string member) =>
        (["ZREM", key, member], Int(model.TryGetValue(key, out var set) && set.Remove(member) ? 1 : 0));

    private static (string[], string) Rank(Dictionary<string, double>? set, string key, string member, bool reverse)
    {
        string[] command = [reverse ? "ZREVRANK" : "ZRANK", key, member];
        if (set is null || !set.ContainsKey(member))
        {
            return (command, Nil);
        }
        var rank = Ordered(set).FindIndex(pair => pair.Key == member);
        return (command, Int(reverse ? set.Count - 1 - rank : rank));
    }

    private static (string[], string) ByScore(Dictionary<string, double>? set, string key, double min, double max, int limit)
    {
        var matches = set is null ? [] : Ordered(set).Where(pair => pair.Value >= min && pair.Value <= max).Skip(1).ToList();
        var taken = limit < 0 ? matches : matches.Take(limit).ToList();
        return (["ZRANGEBYSCORE", key, Format(min), Format(max), "LIMIT", "1", limit.ToString()], Bulks([.. taken.Select(pair => pair.Key)]));
    }

    private static (string[], string) Pop(Dictionary<string, Dictionary<string, double>> model, string key, bool min, int count)
    {
        string[] command = [min ? "ZPOPMIN" : "ZPOPMAX", key, count.ToString()];
        if (!model.TryGetValue(key, out var set))
        {
            return (command, Array());
        }
        var ordered = Ordered(set);
        if (!min)
        {
            ordered.Reverse();
        }
        var popped = ordered.Take(count).ToList();
        foreach (var pair in popped)
        {
            set.Remove(pair.Key);
        }
        return (command, Bulks([.. popped.SelectMany(pair => new[] { pair.Key, Format(pair.Value) })]));
    }

    private static (string[], string) RemoveByRank(Dictionary<string, Dictionary<string, double>> model, string key, int start, int end)
    {
        string[] command = ["ZREMRANGEBYRANK", key, start.ToString(), end.ToString()];
        if (!model.TryGetValue(key, out var set))
        {
            return (command, Int(0));
        }
        var ordered = Ordered(set);
        var length = ordered.Count;
        var from = start < 0 ? Math.Max(0, start + length) : start;
        var to = end < 0 ? end + length : Math.Min(end, length - 1);
        if (from > to || from >= length)
        {
            return (command, Int(0));
        }
        for (var i = from; i <= to; i++)
        {
            set.Remove(ordered[i].Key);
        }
        return (command, Int(to - from + 1));
    }
}
