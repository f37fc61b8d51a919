using Dst.Commands.Lists;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.Lists;

public sealed class ListEncodingTests
{
    private static ListObject ListAt(Harness db, string key)
    {
        var keyspace = db.Machine.Keyspace;
        return (ListObject)keyspace.ObjectAt(keyspace.Find(System.Text.Encoding.UTF8.GetBytes(key)));
    }

    [Fact]
    public void A_count_limit_converts_to_quicklist_past_it_and_back_below_half()
    {
        var db = new Harness(new StateMachineOptions { ListMaxListpackSize = 4 });
        db.Run("RPUSH", "l", "1", "2", "3", "4");
        Assert.Equal("listpack", ListAt(db, "l").EncodingName);
        db.Run("RPUSH", "l", "5");
        var list = ListAt(db, "l");
        Assert.Equal("quicklist", list.EncodingName);
        Assert.Equal(2, list.ChunkCount);
        db.Run("RPUSH", "l", "6", "7", "8", "9");
        Assert.Equal(3, ListAt(db, "l").ChunkCount);
        Assert.Equal(Bulks("1", "2", "3", "4", "5", "6", "7", "8", "9"), db.Run("LRANGE", "l", "0", "-1"));
        db.Run("LTRIM", "l", "0", "2");
        Assert.Equal("quicklist", ListAt(db, "l").EncodingName);
        db.Run("RPOP", "l");
        Assert.Equal("listpack", ListAt(db, "l").EncodingName);
        Assert.Equal(Bulks("1", "2"), db.Run("LRANGE", "l", "0", "-1"));
    }

    [Fact]
    public void The_default_size_limit_counts_listpack_bytes()
    {
        var db = new Harness();
        var value = new string('v', 100);
        // 100-byte entries take 103 bytes in a listpack: 79 fit in 8 KB with the 7-byte header, 80 do not.
        for (var i = 0; i < 79; i++)
        {
            db.Run("RPUSH", "l", value);
        }
        Assert.Equal("listpack", ListAt(db, "l").EncodingName);
        db.Run("LPUSH", "l", value);
        Assert.Equal("quicklist", ListAt(db, "l").EncodingName);
        db.Run("LTRIM", "l", "0", "38");
        Assert.Equal("listpack", ListAt(db, "l").EncodingName);
    }

    [Fact]
    public void Middle_inserts_split_chunks_and_keep_order()
    {
        var db = new Harness(new StateMachineOptions { ListMaxListpackSize = 3 });
        db.Run("RPUSH", "l", "a", "e");
        for (var i = 0; i < 20; i++)
        {
            db.Run("LINSERT", "l", "BEFORE", "e", $"m{i:D2}");
        }
        var list = ListAt(db, "l");
        Assert.True(list.ChunkCount >= 22 / 3, $"{list.ChunkCount} chunks");
        var expected = new[] { "a" }.Concat(Enumerable.Range(0, 20).Select(i => $"m{i:D2}")).Append("e").ToArray();
        Assert.Equal(Bulks(expected), db.Run("LRANGE", "l", "0", "-1"));
        Assert.Equal(Bulk("m10"), db.Run("LINDEX", "l", "11"));
        Assert.Equal(Int(1), db.Run("LREM", "l", "0", "m00"));
        Assert.Equal(Int(21), db.Run("LLEN", "l"));
        Assert.Equal(Bulk("m10"), db.Run("LINDEX", "l", "10"));
    }

    [Theory]
    [InlineData(-2, 10)]
    [InlineData(4, 50)]
    public void Snapshots_restore_the_exact_chunk_layout(int fill, int items)
    {
        var source = new Harness(new StateMachineOptions { ListMaxListpackSize = fill });
        for (var i = 0; i < items; i++)
        {
            source.Run(i % 2 == 0 ? "RPUSH" : "LPUSH", "l", $"item-{i}");
        }
        source.Run("PEXPIRE", "l", "100000");
        var original = ListAt(source, "l");
        var target = new Harness(new StateMachineOptions { ListMaxListpackSize = fill });
        target.Machine.LoadSnapshot(new MemoryStream(source.Snapshot()));
        var loaded = ListAt(target, "l");
        Assert.Equal((original.EncodingName, original.ChunkCount, original.Count, original.PackedBytes), (loaded.EncodingName, loaded.ChunkCount, loaded.Count, loaded.PackedBytes));
        Assert.Equal(source.Run("LRANGE", "l", "0", "-1"), target.Run("LRANGE", "l", "0", "-1"));
        Assert.Equal(source.Run("PTTL", "l"), target.Run("PTTL", "l"));
        Assert.Equal(source.Snapshot(), target.Snapshot());
    }

    [Fact]
    public void Copy_is_independent_of_the_original()
    {
        var db = new Harness();
        db.Run("RPUSH", "l", "a", "b");
        db.Run("COPY", "l", "c");
        db.Run("LSET", "c", "0", "z");
        db.Run("RPUSH", "l", "x");
        Assert.Equal(Bulks("a", "b", "x"), db.Run("LRANGE", "l", "0", "-1"));
        Assert.Equal(Bulks("z", "b"), db.Run("LRANGE", "c", "0", "-1"));
        Assert.True(ListAt(db, "l").EstimateMemoryUsage() > 3 * 24);
    }
}
