using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.Sets;

/// <summary>Intset, listpack and hashtable conversions, SSCAN, and snapshots of every encoding.</summary>
public sealed class SetEncodingTests
{
    private static readonly StateMachineOptions Small = new() { SetMaxIntsetEntries = 4, SetMaxListpackEntries = 3, SetMaxListpackValue = 5 };

    [Fact]
    public void Integers_make_an_intset_until_its_limit_then_a_hashtable()
    {
        var db = new Harness(Small);
        db.Run("SADD", "s", "1", "2", "3", "4");
        Assert.Equal(Bulk("intset"), db.Run("OBJECT", "ENCODING", "s"));
        db.Run("SADD", "s", "5");
        Assert.Equal(Bulk("hashtable"), db.Run("OBJECT", "ENCODING", "s"));
        Assert.Equal(Int(5), db.Run("SCARD", "s"));
    }

    [Fact]
    public void A_string_turns_a_small_intset_into_a_listpack()
    {
        var db = new Harness(Small);
        db.Run("SADD", "s", "1", "2");
        db.Run("SADD", "s", "x");
        Assert.Equal(Bulk("listpack"), db.Run("OBJECT", "ENCODING", "s"));
        Assert.Equal(Bulks("1", "2", "x"), db.Run("SMEMBERS", "s"));
        db.Run("SADD", "s", "y");
        Assert.Equal(Bulk("hashtable"), db.Run("OBJECT", "ENCODING", "s"));
        db.Run("SADD", "t", "1", "2", "3");
        db.Run("SADD", "t", "x");
        Assert.Equal(Bulk("hashtable"), db.Run("OBJECT", "ENCODING", "t"));
    }

    [Fact]
    public void Long_members_and_big_adds_skip_the_listpack()
    {
        var db = new Harness(Small);
        db.Run("SADD", "s", "abcde");
        Assert.Equal(Bulk("listpack"), db.Run("OBJECT", "ENCODING", "s"));
        db.Run("SADD", "s", "abcdef");
        Assert.Equal(Bulk("hashtable"), db.Run("OBJECT", "ENCODING", "s"));
        db.Run("SADD", "many", "a", "b", "c", "d");
        Assert.Equal(Bulk("hashtable"), db.Run("OBJECT", "ENCODING", "many"));
        db.Run("SADD", "ints", "1", "2", "3", "4", "5");
        Assert.Equal(Bulk("hashtable"), db.Run("OBJECT", "ENCODING", "ints"));
    }

    [Fact]
    public void Defaults_are_redis_thresholds()
    {
        var db = new Harness();
        db.Run(["SADD", "ints", .. Enumerable.Range(0, 512).Select(i => (i * 1000).ToString())]);
        Assert.Equal(Bulk("intset"), db.Run("OBJECT", "ENCODING", "ints"));
        db.Run("SADD", "ints", "-1");
        Assert.Equal(Bulk("hashtable"), db.Run("OBJECT", "ENCODING", "ints"));
        db.Run(["SADD", "strs", .. Enumerable.Range(0, 128).Select(i => $"m{i}")]);
        Assert.Equal(Bulk("listpack"), db.Run("OBJECT", "ENCODING", "strs"));
        db.Run("SADD", "strs", "m128");
        Assert.Equal(Bulk("hashtable"), db.Run("OBJECT", "ENCODING", "strs"));
    }

    [Fact]
    public void Intset_widens_for_big_integers_and_keeps_order()
    {
        var db = new Harness();
        db.Run("SADD", "s", "5", "-3", "70000", long.MinValue.ToString(), long.MaxValue.ToString(), "0");
        Assert.Equal(Bulk("intset"), db.Run("OBJECT", "ENCODING", "s"));
        Assert.Equal(Bulks(long.MinValue.ToString(), "-3", "0", "5", "70000", long.MaxValue.ToString()), db.Run("SMEMBERS", "s"));
        Assert.Equal(Int(1), db.Run("SREM", "s", "70000"));
        Assert.Equal(Int(1), db.Run("SISMEMBER", "s", long.MinValue.ToString()));
    }

    [Fact]
    public void Sscan_returns_compact_sets_whole_and_walks_tables()
    {
        var db = new Harness();
        db.Run("SADD", "s", "a1", "b1", "a2");
        Assert.Equal(Array(Bulk("0"), Bulks("a1", "a2")), db.Run("SSCAN", "s", "0", "MATCH", "a*"));
        Assert.Equal(Syntax, db.Run("SSCAN", "s", "0", "NOVALUES"));
        Assert.Equal(Array(Bulk("0"), "*0\r\n"), db.Run("SSCAN", "missing", "0"));
        db.Run(["SADD", "big", .. Enumerable.Range(0, 700).Select(i => $"m{i}")]);
        var seen = new HashSet<string>();
        var cursor = "0";
        do
        {
            var lines = db.Run("SSCAN", "big", cursor).Split("\r\n");
            cursor = lines[2];
            foreach (var member in SetCommandsTests.Members(string.Join("\r\n", lines[3..])))
            {
                Assert.True(seen.Add(member), $"{member} returned twice");
            }
        }
        while (cursor != "0");
        Assert.Equal(700, seen.Count);
    }

    [Fact]
    public void Snapshots_keep_every_encoding_and_spop_agrees_afterwards()
    {
        var source = new Harness(Small);
        source.Run("SADD", "ints", "3", "-1", "2");
        source.Run("SADD", "strs", "x", "y");
        source.Run(["SADD", "table", .. Enumerable.Range(0, 300).Select(i => $"m{i}")]);
        source.Run(["SREM", "table", .. Enumerable.Range(0, 300).Where(i => i % 4 == 0).Select(i => $"m{i}")]);
        source.Run("EXPIRE", "strs", "60");
        var target = new Harness(Small) { Now = source.Now };
        target.Machine.LoadSnapshot(new MemoryStream(source.Snapshot()));
        foreach (var key in new[] { "ints", "strs", "table" })
        {
            Assert.Equal(source.Run("OBJECT", "ENCODING", key), target.Run("OBJECT", "ENCODING", key));
            Assert.Equal(source.Run("SMEMBERS", key), target.Run("SMEMBERS", key));
            Assert.Equal(source.Run("TTL", key), target.Run("TTL", key));
        }
        Assert.Equal(source.Snapshot(), target.Snapshot());
        Assert.Equal(source.Run("SPOP", "table", "5"), target.Run("SPOP", "table", "5"));
    }

    [Fact]
    public void A_damaged_intset_record_is_refused()
    {
        var source = new Harness();
        source.Run("SADD", "s", "1", "2");
        var snapshot = source.Snapshot();
        // The intset's members are the last two i64 values before the trailer (1 + 8 + 4 bytes).
        var firstMember = snapshot.Length - 13 - 16;
        snapshot[firstMember] = 5;
        Assert.Throws<InvalidDataException>(() => new Harness().Machine.LoadSnapshot(new MemoryStream(snapshot)));
    }

    [Fact]
    public void Copy_of_a_set_is_independent()
    {
        var db = new Harness();
        db.Run(["SADD", "s", .. Enumerable.Range(0, 200).Select(i => $"m{i}")]);
        db.Run("COPY", "s", "c");
        db.Run("SREM", "s", "m0");
        Assert.Equal(Int(1), db.Run("SISMEMBER", "c", "m0"));
        Assert.Equal(Int(200), db.Run("SCARD", "c"));
    }
}
