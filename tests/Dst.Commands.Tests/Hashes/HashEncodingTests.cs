using Dst.Protocol;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.Hashes;

/// <summary>Listpack to hashtable conversion, OBJECT/MEMORY, HSCAN, HRANDFIELD and snapshots of both encodings.</summary>
public sealed class HashEncodingTests
{
    private static readonly StateMachineOptions Small = new() { HashMaxListpackEntries = 4, HashMaxListpackValue = 8 };

    [Fact]
    public void A_hash_converts_past_the_entry_count_and_never_back()
    {
        var db = new Harness(Small);
        db.Run("HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4");
        Assert.Equal(Bulk("listpack"), db.Run("OBJECT", "ENCODING", "h"));
        db.Run("HSET", "h", "e", "5");
        Assert.Equal(Bulk("hashtable"), db.Run("OBJECT", "ENCODING", "h"));
        db.Run("HDEL", "h", "a", "b", "c", "d");
        Assert.Equal(Bulk("hashtable"), db.Run("OBJECT", "ENCODING", "h"));
        Assert.Equal(Bulks("e", "5"), db.Run("HGETALL", "h"));
    }

    [Theory]
    [InlineData("123456789", "v")]
    [InlineData("f", "123456789")]
    public void A_long_field_or_value_converts_at_once(string field, string value)
    {
        var db = new Harness(Small);
        db.Run("HSET", "h", "a", "12345678");
        Assert.Equal(Bulk("listpack"), db.Run("OBJECT", "ENCODING", "h"));
        db.Run("HSET", "h", field, value);
        Assert.Equal(Bulk("hashtable"), db.Run("OBJECT", "ENCODING", "h"));
        Assert.Equal(Bulk(value), db.Run("HGET", "h", field));
        Assert.Equal(Bulk("12345678"), db.Run("HGET", "h", "a"));
    }

    [Fact]
    public void Defaults_are_redis_thresholds()
    {
        var db = new Harness();
        db.Run(["HSET", "h", .. Enumerable.Range(0, 128).SelectMany(i => new[] { $"f{i}", "v" })]);
        Assert.Equal(Bulk("listpack"), db.Run("OBJECT", "ENCODING", "h"));
        db.Run("HSET", "h", "f128", "v");
        Assert.Equal(Bulk("hashtable"), db.Run("OBJECT", "ENCODING", "h"));
        db.Run("HSET", "g", "f", new string('x', 64));
        Assert.Equal(Bulk("listpack"), db.Run("OBJECT", "ENCODING", "g"));
        db.Run("HSET", "g", "f", new string('x', 65));
        Assert.Equal(Bulk("hashtable"), db.Run("OBJECT", "ENCODING", "g"));
    }

    [Fact]
    public void Memory_usage_grows_with_the_hash()
    {
        var db = new Harness();
        Assert.Equal(Nil, db.Run("MEMORY", "USAGE", "h"));
        db.Run("HSET", "h", "a", "1");
        var small = ParseInt(db.Run("MEMORY", "USAGE", "h"));
        db.Run(["HSET", "h", .. Enumerable.Range(0, 1000).SelectMany(i => new[] { $"field:{i:D7}", "12345678" })]);
        var big = ParseInt(db.Run("MEMORY", "USAGE", "h", "SAMPLES", "0"));
        Assert.InRange(small, 50, 500);
        // 1000 entries of 22 data bytes are 48 heap bytes each, plus at least 12 bytes a slot.
        Assert.InRange(big, 1000 * 60, 1000 * 120);
        Assert.Equal(Syntax, db.Run("MEMORY", "USAGE", "h", "SAMPLES"));
        Assert.Equal(Syntax, db.Run("MEMORY", "USAGE", "h", "SAMPLES", "-1"));
    }

    [Fact]
    public void Hscan_of_a_listpack_returns_everything_with_cursor_zero()
    {
        var db = new Harness();
        db.Run("HSET", "h", "a1", "1", "b1", "2", "a2", "3");
        Assert.Equal(Array(Bulk("0"), Bulks("a1", "1", "b1", "2", "a2", "3")), db.Run("HSCAN", "h", "0"));
        Assert.Equal(Array(Bulk("0"), Bulks("a1", "1", "a2", "3")), db.Run("HSCAN", "h", "7", "MATCH", "a*", "COUNT", "1"));
        Assert.Equal(Array(Bulk("0"), Bulks("a1", "b1", "a2")), db.Run("HSCAN", "h", "0", "NOVALUES"));
        Assert.Equal(Array(Bulk("0"), "*0\r\n"), db.Run("HSCAN", "missing", "0", "BOGUS"));
        Assert.Equal(Err("ERR invalid cursor"), db.Run("HSCAN", "h", "x"));
        Assert.Equal(Syntax, db.Run("HSCAN", "h", "0", "COUNT", "0"));
        Assert.Equal(NotInteger, db.Run("HSCAN", "h", "0", "COUNT", "x"));
        Assert.Equal(Syntax, db.Run("HSCAN", "h", "0", "MATCH"));
        Assert.Equal(Syntax, db.Run("HSCAN", "h", "0", "BOGUS"));
    }

    [Fact]
    public void Hscan_of_a_table_visits_every_field_once_across_calls()
    {
        var db = new Harness();
        db.Run(["HSET", "h", .. Enumerable.Range(0, 1000).SelectMany(i => new[] { $"f{i}", $"v{i}" })]);
        var seen = new Dictionary<string, string>();
        var cursor = "0";
        do
        {
            var reply = db.Run("HSCAN", "h", cursor, "COUNT", "37");
            var lines = reply.Split("\r\n");
            cursor = lines[2];
            var items = Sets.SetCommandsTests.Members(string.Join("\r\n", lines[3..]));
            for (var i = 0; i < items.Count; i += 2)
            {
                Assert.True(seen.TryAdd(items[i], items[i + 1]), $"{items[i]} returned twice");
            }
        }
        while (cursor != "0");
        Assert.Equal(1000, seen.Count);
        Assert.All(seen, pair => Assert.Equal("v" + pair.Key[1..], pair.Value));
    }

    [Fact]
    public void Hrandfield_counts_values_and_resp3_pairs()
    {
        var db = new Harness();
        db.Run("HSET", "h", "a", "1", "b", "2", "c", "3");
        Assert.Equal(Nil, db.Run("HRANDFIELD", "missing"));
        Assert.Equal("*0\r\n", db.Run("HRANDFIELD", "missing", "2"));
        Assert.Contains(db.Run("HRANDFIELD", "h"), new[] { Bulk("a"), Bulk("b"), Bulk("c") });
        Assert.Equal(2, Sets.SetCommandsTests.Members(db.Run("HRANDFIELD", "h", "2")).Distinct().Count());
        Assert.Equal(Bulks("a", "1", "b", "2", "c", "3"), db.Run("HRANDFIELD", "h", "5", "WITHVALUES"));
        var repeated = Sets.SetCommandsTests.Members(db.Run("HRANDFIELD", "h", "-10", "WITHVALUES"));
        Assert.Equal(20, repeated.Count);
        for (var i = 0; i < repeated.Count; i += 2)
        {
            Assert.Equal(Bulk(repeated[i + 1]), db.Run("HGET", "h", repeated[i]));
        }
        Assert.Equal("*0\r\n", db.Run("HRANDFIELD", "h", "0"));
        Assert.Equal(Syntax, db.Run("HRANDFIELD", "h", "1", "WITHSCORES"));
        Assert.Equal(NotInteger, db.Run("HRANDFIELD", "h", "x"));
        var resp3 = new Harness(version: RespVersion.Resp3);
        resp3.Run("HSET", "h", "a", "1");
        Assert.Equal("*1\r\n*2\r\n" + Bulk("a") + Bulk("1"), resp3.Run("HRANDFIELD", "h", "1", "WITHVALUES"));
    }

    [Fact]
    public void Object_answers_for_hashes_and_strings()
    {
        var db = new Harness();
        db.Run("SET", "int", "123");
        db.Run("SET", "big", "123456");
        db.Run("SET", "short", new string('x', 44));
        db.Run("SET", "long", new string('x', 45));
        db.Run("HSET", "h", "a", "1");
        Assert.Equal(Bulk("int"), db.Run("OBJECT", "ENCODING", "int"));
        Assert.Equal(Bulk("embstr"), db.Run("OBJECT", "ENCODING", "short"));
        Assert.Equal(Bulk("raw"), db.Run("OBJECT", "encoding", "long"));
        Assert.Equal(Nil, db.Run("OBJECT", "ENCODING", "missing"));
        Assert.Equal(Int(int.MaxValue), db.Run("OBJECT", "REFCOUNT", "int"));
        Assert.Equal(Int(1), db.Run("OBJECT", "REFCOUNT", "big"));
        Assert.Equal(Int(1), db.Run("OBJECT", "REFCOUNT", "h"));
        Assert.StartsWith("-ERR An LFU maxmemory policy is not selected", db.Run("OBJECT", "FREQ", "h"));
        Assert.StartsWith("-ERR idle time is not tracked", db.Run("OBJECT", "IDLETIME", "h"));
        Assert.Equal(Err("ERR unknown subcommand 'nope'. Try OBJECT HELP."), db.Run("OBJECT", "nope", "h"));
        Assert.Equal(Err("ERR wrong number of arguments for 'object|encoding' command"), db.Run("OBJECT", "ENCODING"));
        Assert.StartsWith("*15\r\n+OBJECT <subcommand>", db.Run("OBJECT", "HELP"));
        Assert.StartsWith("*6\r\n+MEMORY <subcommand>", db.Run("MEMORY", "HELP"));
        Assert.Equal(Err("ERR unknown subcommand 'nope'. Try MEMORY HELP."), db.Run("MEMORY", "nope"));
        Assert.Equal(Int(12 + 24 + 16), db.Run("MEMORY", "USAGE", "int"));
    }

    [Fact]
    public void Snapshots_keep_both_encodings_their_contents_and_table_layout()
    {
        var source = new Harness(Small);
        source.Run("HSET", "small", "a", "1", "b", "2");
        source.Run(["HSET", "big", .. Enumerable.Range(0, 500).SelectMany(i => new[] { $"f{i}", $"v{i}" })]);
        source.Run(["HDEL", "big", .. Enumerable.Range(0, 500).Where(i => i % 3 == 0).Select(i => $"f{i}")]);
        source.Run("HSET", "long", "f", "a value longer than eight");
        source.Run("PEXPIRE", "small", "5000");
        var target = new Harness(Small);
        target.Machine.LoadSnapshot(new MemoryStream(source.Snapshot()));
        foreach (var key in new[] { "small", "big", "long" })
        {
            Assert.Equal(source.Run("OBJECT", "ENCODING", key), target.Run("OBJECT", "ENCODING", key));
            Assert.Equal(source.Run("HGETALL", key), target.Run("HGETALL", key));
            Assert.Equal(source.Run("PTTL", key), target.Run("PTTL", key));
        }
        Assert.Equal(source.Run("HSCAN", "big", "0", "COUNT", "5"), target.Run("HSCAN", "big", "0", "COUNT", "5"));
        Assert.Equal(source.Snapshot(), target.Snapshot());
    }

    [Fact]
    public void Copy_of_a_hash_is_independent()
    {
        var db = new Harness(Small);
        db.Run(["HSET", "h", .. Enumerable.Range(0, 10).SelectMany(i => new[] { $"f{i}", $"v{i}" })]);
        Assert.Equal(Int(1), db.Run("COPY", "h", "c"));
        db.Run("HSET", "h", "f0", "changed");
        db.Run("HDEL", "h", "f1");
        Assert.Equal(Bulk("v0"), db.Run("HGET", "c", "f0"));
        Assert.Equal(Bulk("v1"), db.Run("HGET", "c", "f1"));
        Assert.Equal(Int(10), db.Run("HLEN", "c"));
    }

    private static long ParseInt(string reply) => long.Parse(reply.AsSpan(1, reply.Length - 3));
}
