using System.Text;
using Dst.Commands.SortedSets;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.SortedSets;

public sealed class SortedSetEncodingTests
{
    private static SortedSetObject SetAt(Harness db, string key)
    {
        var keyspace = db.Machine.Keyspace;
        return (SortedSetObject)keyspace.ObjectAt(keyspace.Find(Encoding.UTF8.GetBytes(key)));
    }

    [Fact]
    public void Converts_to_skiplist_past_the_entry_limit_and_stays()
    {
        var db = new Harness(new StateMachineOptions { ZsetMaxListpackEntries = 4 });
        db.Run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
        Assert.Equal("listpack", SetAt(db, "z").EncodingName);
        db.Run("ZADD", "z", "5", "e");
        Assert.Equal("skiplist", SetAt(db, "z").EncodingName);
        db.Run("ZREM", "z", "a", "b", "c");
        Assert.Equal("skiplist", SetAt(db, "z").EncodingName);
        Assert.Equal(Bulks("d", "e"), db.Run("ZRANGE", "z", "0", "-1"));
        Assert.Equal(Int(1), db.Run("ZRANK", "z", "e"));
    }

    [Fact]
    public void A_long_member_converts_and_a_new_set_starts_in_the_encoding_its_size_needs()
    {
        var db = new Harness(new StateMachineOptions { ZsetMaxListpackValue = 8 });
        db.Run("ZADD", "z", "1", "short");
        Assert.Equal("listpack", SetAt(db, "z").EncodingName);
        db.Run("ZADD", "z", "2", "a-long-member");
        Assert.Equal("skiplist", SetAt(db, "z").EncodingName);
        db.Run("ZADD", "born", "1", "a-long-member");
        Assert.Equal("skiplist", SetAt(db, "born").EncodingName);
        db.Run("ZRANGESTORE", "small", "z", "0", "0");
        Assert.Equal("listpack", SetAt(db, "small").EncodingName);
        db.Run("ZUNIONSTORE", "union", "1", "z");
        Assert.Equal("skiplist", SetAt(db, "union").EncodingName);
    }

    [Fact]
    public void Zero_entries_means_always_skiplist()
    {
        var db = new Harness(new StateMachineOptions { ZsetMaxListpackEntries = 0 });
        db.Run("ZADD", "z", "1", "a");
        Assert.Equal("skiplist", SetAt(db, "z").EncodingName);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(3000)]
    public void Snapshots_round_trip_both_encodings(int members)
    {
        var source = new Harness();
        for (var i = 0; i < members; i++)
        {
            source.Run("ZADD", "z", (i % 7 * 1.25).ToString(System.Globalization.CultureInfo.InvariantCulture), $"m{i}");
        }
        source.Run("ZADD", "z", "-inf", "low", "+inf", "high");
        source.Run("PEXPIRE", "z", "60000");
        var target = new Harness();
        target.Machine.LoadSnapshot(new MemoryStream(source.Snapshot()));
        Assert.Equal(SetAt(source, "z").EncodingName, SetAt(target, "z").EncodingName);
        Assert.Equal(source.Run("ZRANGE", "z", "0", "-1", "WITHSCORES"), target.Run("ZRANGE", "z", "0", "-1", "WITHSCORES"));
        Assert.Equal(source.Run("PTTL", "z"), target.Run("PTTL", "z"));
        Assert.Equal(source.Run("ZSCORE", "z", "m5"), target.Run("ZSCORE", "z", "m5"));
        Assert.Equal(source.Snapshot(), target.Snapshot());
    }

    [Fact]
    public void Zscan_of_a_skiplist_returns_every_member_across_cursor_steps_and_resizes()
    {
        var db = new Harness();
        for (var i = 0; i < 1000; i++)
        {
            db.Run("ZADD", "z", i.ToString(), $"m{i}");
        }
        var seen = new HashSet<string>();
        var cursor = "0";
        var steps = 0;
        do
        {
            var lines = db.Run("ZSCAN", "z", cursor, "COUNT", "50").Split("\r\n");
            cursor = lines[2];
            for (var i = 4; i + 3 < lines.Length; i += 4)
            {
                var member = lines[i + 1];
                seen.Add(member);
                Assert.Equal(member.StartsWith('m') ? member[1..] : "0", lines[i + 3]);
            }
            // Members added and removed mid-scan make the table grow and shrink.
            db.Run("ZADD", "z", "0", $"extra{steps}");
            if (steps % 3 == 0)
            {
                db.Run("ZREM", "z", $"extra{steps}");
            }
            steps++;
        }
        while (cursor != "0" && steps < 10_000);
        Assert.Equal("0", cursor);
        Assert.All(Enumerable.Range(0, 1000), i => Assert.Contains($"m{i}", seen));
    }

    [Fact]
    public void Copy_and_memory_estimate()
    {
        var db = new Harness();
        db.Run("ZADD", "z", "1", "a", "2", "b");
        db.Run("COPY", "z", "c");
        db.Run("ZINCRBY", "c", "10", "a");
        Assert.Equal(Bulk("1"), db.Run("ZSCORE", "z", "a"));
        Assert.Equal(Bulks("b", "a"), db.Run("ZRANGE", "c", "0", "-1"));
        Assert.InRange(SetAt(db, "z").EstimateMemoryUsage(), 2 * 32, 4096);
    }
}
