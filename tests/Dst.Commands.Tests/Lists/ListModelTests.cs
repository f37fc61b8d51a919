using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.Lists;

/// <summary>
/// Random list operations against the state machine and against plain <see cref="List{T}"/>s,
/// compared after every step. Small node limits make conversions and chunk splits frequent.
/// Replay a failure with <c>DST_MODEL_SEED=&lt;seed&gt; dotnet test --filter ListModelTests</c>.
/// </summary>
public sealed class ListModelTests
{
    public static TheoryData<int, int> Seeds()
    {
        var data = new TheoryData<int, int>();
        if (int.TryParse(Environment.GetEnvironmentVariable("DST_MODEL_SEED"), out var replay))
        {
            data.Add(replay, 3);
            data.Add(replay, -1);
            return data;
        }
        foreach (var seed in new[] { 11, 12, 13, 14 })
        {
            data.Add(seed, seed % 2 == 0 ? 3 : -1);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Lists_match_a_list_model(int seed, int fill)
    {
        var random = new Random(seed);
        var db = new Harness(new StateMachineOptions { ListMaxListpackSize = fill });
        var model = new Dictionary<string, List<string>>();
        for (var step = 0; step < 6_000; step++)
        {
            var key = $"l{random.Next(3)}";
            var other = $"l{random.Next(3)}";
            var list = model.GetValueOrDefault(key);
            var value = $"v{random.Next(8)}{new string('x', random.Next(3) == 0 ? random.Next(200, 900) : 0)}";
            var (command, expected) = random.Next(14) switch
            {
                0 or 1 => Push(model, key, front: false, [value, $"w{random.Next(8)}"]),
                2 => Push(model, key, front: true, [value]),
                3 => Pop(model, key, front: random.Next(2) == 0, random.Next(4)),
                4 => Range(list, key, random.Next(-6, 6), random.Next(-6, 6)),
                5 => Index(list, key, random.Next(-8, 8)),
                6 => Set(list, key, random.Next(-8, 8), value),
                7 => Remove(model, key, random.Next(-2, 3), value),
                8 => Trim(model, key, random.Next(-8, 8), random.Next(-8, 8)),
                9 => Insert(list, key, random.Next(2) == 0, $"v{random.Next(8)}", value),
                10 => Move(model, key, other, random.Next(2) == 0, random.Next(2) == 0),
                11 => Position(list, key, $"v{random.Next(8)}"),
                12 => Copy(model, key, other),
                _ => (new[] { "LLEN", key }, Int(list?.Count ?? 0)),
            };
            var actual = db.Run(command);
            Assert.True(expected == actual, $"DST_MODEL_SEED={seed} (fill {fill}), step {step}: {string.Join(' ', command.Select(Shorten))} expected {Shorten(expected)} got {Shorten(actual)}");
            model = model.Where(pair => pair.Value.Count > 0).ToDictionary();
        }
        foreach (var (key, list) in model)
        {
            Assert.Equal(Bulks([.. list]), db.Run("LRANGE", key, "0", "-1"));
        }
        Assert.Equal(model.Count, db.Machine.Keyspace.Count);
        var restored = new Harness(new StateMachineOptions { ListMaxListpackSize = fill });
        restored.Machine.LoadSnapshot(new MemoryStream(db.Snapshot()));
        foreach (var key in model.Keys)
        {
            Assert.Equal(db.Run("LRANGE", key, "0", "-1"), restored.Run("LRANGE", key, "0", "-1"));
        }
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "..." : text.TrimEnd();

    private static (string[], string) Push(Dictionary<string, List<string>> model, string key, bool front, string[] values)
    {
        var list = model.TryGetValue(key, out var found) ? found : model[key] = [];
        foreach (var value in values)
        {
            if (front)
            {
                list.Insert(0, value);
            }
            else
            {
                list.Add(value);
            }
        }
        return ([front ? "LPUSH" : "RPUSH", key, .. values], Int(list.Count));
    }

    private static (string[], string) Pop(Dictionary<string, List<string>> model, string key, bool front, int count)
    {
        string[] command = count == 0 ? [front ? "LPOP" : "RPOP", key] : [front ? "LPOP" : "RPOP", key, count.ToString()];
        if (!model.TryGetValue(key, out var list))
        {
            return (command, count == 0 ? Nil : NilArray);
        }
        var popped = new List<string>();
        for (var i = 0; i < Math.Max(1, count) && list.Count > 0; i++)
        {
            var at = front ? 0 : list.Count - 1;
            popped.Add(list[at]);
            list.RemoveAt(at);
        }
        return (command, count == 0 ? Bulk(popped[0]) : Bulks([.. popped]));
    }

    private static (string[], string) Range(List<string>? list, string key, int start, int end) =>
        (["LRANGE", key, start.ToString(), end.ToString()], Bulks([.. list is null ? [] : Slice(list, start, end)]));

    private static (string[], string) Index(List<string>? list, string key, int index)
    {
        var at = index < 0 ? index + (list?.Count ?? 0) : index;
        return (["LINDEX", key, index.ToString()], list is null || at < 0 || at >= list.Count ? Nil : Bulk(list[at]));
    }

    private static (string[], string) Set(List<string>? list, string key, int index, string value)
    {
        string[] command = ["LSET", key, index.ToString(), value];
        if (list is null)
        {
            return (command, Err("ERR no such key"));
        }
        var at = index < 0 ? index + list.Count : index;
        if (at < 0 || at >= list.Count)
        {
            return (command, Err("ERR index out of range"));
        }
        list[at] = value;
        return (command, Ok);
    }

    private static (string[], string) Remove(Dictionary<string, List<string>> model, string key, int count, string value)
    {
        string[] command = ["LREM", key, count.ToString(), value];
        if (!model.TryGetValue(key, out var list))
        {
            return (command, Int(0));
        }
        var removed = 0;
        var limit = count == 0 ? int.MaxValue : Math.Abs(count);
        for (var step = 0; step < list.Count && removed < limit;)
        {
            var at = count < 0 ? list.Count - 1 - step : step;
            if (list[at] == value)
            {
                list.RemoveAt(at);
                removed++;
            }
            else
            {
                step++;
            }
        }
        return (command, Int(removed));
    }

    private static (string[], string) Trim(Dictionary<string, List<string>> model, string key, int start, int end)
    {
        string[] command = ["LTRIM", key, start.ToString(), end.ToString()];
        if (model.TryGetValue(key, out var list))
        {
            var kept = Slice(list, start, end);
            list.Clear();
            list.AddRange(kept);
        }
        return (command, Ok);
    }

    private static List<string> Slice(List<string> list, int start, int end)
    {
        var length = list.Count;
        start = start < 0 ? Math.Max(0, start + length) : start;
        end = end < 0 ? end + length : Math.Min(end, length - 1);
        return start > end || start >= length ? [] : list.GetRange(start, end - start + 1);
    }

    private static (string[], string) Insert(List<string>? list, string key, bool after, string pivot, string value)
    {
        string[] command = ["LINSERT", key, after ? "AFTER" : "BEFORE", pivot, value];
        if (list is null)
        {
            return (command, Int(0));
        }
        var at = list.IndexOf(pivot);
        if (at < 0)
        {
            return (command, Int(-1));
        }
        list.Insert(after ? at + 1 : at, value);
        return (command, Int(list.Count));
    }

    private static (string[], string) Move(Dictionary<string, List<string>> model, string source, string destination, bool fromLeft, bool toLeft)
    {
        string[] command = ["LMOVE", source, destination, fromLeft ? "LEFT" : "RIGHT", toLeft ? "LEFT" : "RIGHT"];
        if (!model.TryGetValue(source, out var list))
        {
            return (command, Nil);
        }
        var at = fromLeft ? 0 : list.Count - 1;
        var item = list[at];
        list.RemoveAt(at);
        var target = model.TryGetValue(destination, out var found) ? found : model[destination] = [];
        target.Insert(toLeft ? 0 : target.Count, item);
        return (command, Bulk(item));
    }

    /// <summary>COPY ... REPLACE: the two lists share their chunks until either changes one.</summary>
    private static (string[], string) Copy(Dictionary<string, List<string>> model, string source, string destination)
    {
        string[] command = ["COPY", source, destination, "REPLACE"];
        if (source == destination)
        {
            return (command, Err("ERR source and destination objects are the same"));
        }
        if (!model.TryGetValue(source, out var list))
        {
            return (command, Int(0));
        }
        model[destination] = [.. list];
        return (command, Int(1));
    }

    private static (string[], string) Position(List<string>? list, string key, string value)
    {
        var matches = list is null ? [] : Enumerable.Range(0, list.Count).Where(i => list[i] == value).ToList();
        return (["LPOS", key, value, "RANK", "-1", "COUNT", "2"], Array([.. matches.AsEnumerable().Reverse().Take(2).Select(i => Int(i))]));
    }
}
