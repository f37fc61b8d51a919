using Dst.Commands.Tests.Sets;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.Hashes;

/// <summary>
/// Random hash operations against the state machine and a dictionary model, compared after every
/// step (the reply, then the whole hash). Small thresholds make hashes cross both encodings.
/// Replay a failure with <c>DST_MODEL_SEED=&lt;seed&gt; dotnet test --filter HashModelTests</c>.
/// </summary>
public sealed class HashModelTests
{
    private static readonly StateMachineOptions Small = new() { HashMaxListpackEntries = 8, HashMaxListpackValue = 6 };

    public static TheoryData<int> Seeds() => ModelSeeds.Get(11, 12, 13, 14);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Hashes_match_a_dictionary_model(int seed)
    {
        var random = new Random(seed);
        var db = new Harness(Small);
        var model = new Dictionary<string, Dictionary<string, string>>();
        for (var step = 0; step < 3_000; step++)
        {
            var key = $"h{random.Next(4)}";
            var hash = model.GetValueOrDefault(key);
            string Field() => $"f{random.Next(14)}";
            string Value() => random.Next(4) == 0 ? random.Next(-20, 20).ToString() : new string('v', random.Next(1, 9));
            var (command, expected) = random.Next(10) switch
            {
                0 or 1 => HSet(model, key, [.. Enumerable.Range(0, random.Next(1, 4)).SelectMany(_ => new[] { Field(), Value() })]),
                2 => HDel(model, key, Field(), Field()),
                3 => Get(hash, key, Field()),
                4 => (new[] { "HLEN", key }, Int(hash?.Count ?? 0)),
                5 => HIncrBy(model, key, Field(), random.Next(-5, 6)),
                6 => HSetNx(model, key, Field(), Value()),
                7 => StrLen(hash, key, Field()),
                8 => (new[] { "HEXISTS", key, "f3" }, Int(hash?.ContainsKey("f3") == true ? 1 : 0)),
                _ => (new[] { "DEL", key }, Int(model.Remove(key) ? 1 : 0)),
            };
            var actual = db.Run(command);
            var context = $"seed {seed} (DST_MODEL_SEED={seed}), step {step}: {string.Join(' ', command)}";
            Assert.True(expected == actual, $"{context}: expected {expected.TrimEnd()} got {actual.TrimEnd()}");
            Assert.True(Render(model.GetValueOrDefault(key)) == Contents(db, key), $"{context}: contents differ from the model");
        }
    }

    private static (string[], string) HSet(Dictionary<string, Dictionary<string, string>> model, string key, string[] pairs)
    {
        var hash = model.TryGetValue(key, out var existing) ? existing : model[key] = [];
        var added = 0;
        for (var i = 0; i < pairs.Length; i += 2)
        {
            added += hash.ContainsKey(pairs[i]) ? 0 : 1;
            hash[pairs[i]] = pairs[i + 1];
        }
        return (["HSET", key, .. pairs], Int(added));
    }

    private static (string[], string) HDel(Dictionary<string, Dictionary<string, string>> model, string key, string a, string b)
    {
        var removed = 0;
        if (model.TryGetValue(key, out var hash))
        {
            removed = (hash.Remove(a) ? 1 : 0) + (hash.Remove(b) ? 1 : 0);
            if (hash.Count == 0)
            {
                model.Remove(key);
            }
        }
        return (["HDEL", key, a, b], Int(removed));
    }

    private static (string[], string) Get(Dictionary<string, string>? hash, string key, string field) =>
        (["HGET", key, field], hash is not null && hash.TryGetValue(field, out var value) ? Bulk(value) : Nil);

    private static (string[], string) StrLen(Dictionary<string, string>? hash, string key, string field) =>
        (["HSTRLEN", key, field], Int(hash is not null && hash.TryGetValue(field, out var value) ? value.Length : 0));

    private static (string[], string) HIncrBy(Dictionary<string, Dictionary<string, string>> model, string key, string field, int by)
    {
        string[] command = ["HINCRBY", key, field, by.ToString()];
        var current = 0L;
        if (model.TryGetValue(key, out var hash) && hash.TryGetValue(field, out var text)
            && !Dst.Commands.Storage.Integers.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out current))
        {
            return (command, Err("ERR hash value is not an integer"));
        }
        hash ??= model[key] = [];
        hash[field] = (current + by).ToString();
        return (command, Int(current + by));
    }

    private static (string[], string) HSetNx(Dictionary<string, Dictionary<string, string>> model, string key, string field, string value)
    {
        string[] command = ["HSETNX", key, field, value];
        if (model.TryGetValue(key, out var hash) && hash.ContainsKey(field))
        {
            return (command, Int(0));
        }
        (hash ?? (model[key] = []))[field] = value;
        return (command, Int(1));
    }

    private static string Render(Dictionary<string, string>? hash) =>
        string.Join(',', (hash ?? []).OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}"));

    private static string Contents(Harness db, string key)
    {
        var items = SetCommandsTests.Members(db.Run("HGETALL", key));
        var pairs = Enumerable.Range(0, items.Count / 2).Select(i => (Field: items[2 * i], Value: items[(2 * i) + 1]));
        return string.Join(',', pairs.OrderBy(pair => pair.Field, StringComparer.Ordinal).Select(pair => $"{pair.Field}={pair.Value}"));
    }
}

/// <summary>Model test seeds: fixed ones, or the one named by DST_MODEL_SEED to replay a failure.</summary>
internal static class ModelSeeds
{
    public static TheoryData<int> Get(params int[] defaults)
    {
        var replay = Environment.GetEnvironmentVariable("DST_MODEL_SEED");
        return replay is not null && int.TryParse(replay, out var seed) ? new TheoryData<int>(seed) : new TheoryData<int>(defaults);
    }
}
