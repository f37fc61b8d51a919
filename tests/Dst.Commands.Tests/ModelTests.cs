using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests;

/// <summary>
/// Random string and key operations, each checked against a plain dictionary model after every
/// step. Seeds are fixed (deterministic); a failure names the seed and the step to replay.
/// </summary>
public sealed class ModelTests
{
    private sealed record Entry(string Value, long ExpireAt);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Strings_and_keys_match_a_dictionary_model(int seed)
    {
        var random = new Random(seed);
        var db = new Harness();
        var model = new Dictionary<string, Entry>();
        for (var step = 0; step < 5_000; step++)
        {
            db.Now += random.Next(0, 40);
            var now = db.Now;
            foreach (var expired in model.Where(pair => pair.Value.ExpireAt >= 0 && now > pair.Value.ExpireAt).Select(pair => pair.Key).ToList())
            {
                model.Remove(expired);
            }
            var key = $"k{random.Next(12)}";
            var value = random.Next(3) == 0 ? random.Next(-50, 50).ToString() : $"v{random.Next(100)}";
            model.TryGetValue(key, out var current);
            var (command, expected) = random.Next(12) switch
            {
                0 => Set(model, key, value, -1, now),
                1 => Set(model, key, value, random.Next(1, 300), now),
                2 => (new[] { "GET", key }, current is null ? Nil : Bulk(current.Value)),
                3 => (new[] { "DEL", key }, Int(model.Remove(key) ? 1 : 0)),
                4 => Incr(model, key, current),
                5 => Append(model, key, value, current),
                6 => (new[] { "EXISTS", key }, Int(current is null ? 0 : 1)),
                7 => (new[] { "PTTL", key }, Int(current is null ? -2 : current.ExpireAt < 0 ? -1 : current.ExpireAt - now)),
                8 => Persist(model, key, current),
                9 => PExpire(model, key, random.Next(-5, 300), current, now),
                10 => (new[] { "STRLEN", key }, Int(current?.Value.Length ?? 0)),
                _ => (new[] { "GETDEL", key }, current is null ? Nil : Bulk(model.Remove(key) ? current.Value : "")),
            };
            var actual = db.Run(command);
            Assert.True(expected == actual, $"seed {seed}, step {step}: {string.Join(' ', command)} expected {expected.TrimEnd()} got {actual.TrimEnd()}");
        }
        Assert.Equal(model.Count, db.Machine.Keyspace.Items().Count());
    }

    private static (string[], string) Set(Dictionary<string, Entry> model, string key, string value, long ttl, long now)
    {
        model[key] = new Entry(value, ttl < 0 ? -1 : now + ttl);
        return (ttl < 0 ? ["SET", key, value] : ["SET", key, value, "PX", ttl.ToString()], Ok);
    }

    private static (string[], string) Incr(Dictionary<string, Entry> model, string key, Entry? current)
    {
        var value = 0L;
        if (current is not null && !Dst.Commands.Storage.Integers.TryParse(System.Text.Encoding.UTF8.GetBytes(current.Value), out value))
        {
            return (["INCR", key], NotInteger);
        }
        model[key] = new Entry((value + 1).ToString(), current?.ExpireAt ?? -1);
        return (["INCR", key], Int(value + 1));
    }

    private static (string[], string) Append(Dictionary<string, Entry> model, string key, string suffix, Entry? current)
    {
        var value = (current?.Value ?? "") + suffix;
        model[key] = new Entry(value, current?.ExpireAt ?? -1);
        return (["APPEND", key, suffix], Int(value.Length));
    }

    private static (string[], string) Persist(Dictionary<string, Entry> model, string key, Entry? current)
    {
        if (current is null || current.ExpireAt < 0)
        {
            return (["PERSIST", key], Int(0));
        }
        model[key] = current with { ExpireAt = -1 };
        return (["PERSIST", key], Int(1));
    }

    private static (string[], string) PExpire(Dictionary<string, Entry> model, string key, long ttl, Entry? current, long now)
    {
        string[] command = ["PEXPIRE", key, ttl.ToString()];
        if (current is null)
        {
            return (command, Int(0));
        }
        if (ttl <= 0)
        {
            model.Remove(key);
        }
        else
        {
            model[key] = current with { ExpireAt = now + ttl };
        }
        return (command, Int(1));
    }
}
