using System.Text;
using Dst.Commands.Lists;
using Dst.Commands.Snapshots;
using Dst.Commands.Storage;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.Lists;

public sealed class ListEncodingTests
{
    private static ListObject ListAt(Harness db, string key)
    {
        var keyspace = db.Machine.Keyspace;
        return (ListObject)keyspace.ObjectAt(keyspace.Find(Encoding.UTF8.GetBytes(key)));
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
        AssertSnapshotRestoresList(source, fill);
    }

    [Fact]
    public void Snapshots_restore_chunks_of_many_items_and_items_of_multibyte_lengths()
    {
        // 64 KB chunks hold about 30,000 empty items (more than the writer's batch of lengths), pushed at
        // both ends so each chunk's ring of starts wraps; lengths of 200 and 20,000 take 2- and 3-byte varints.
        const int fill = -5;
        var source = new Harness(new StateMachineOptions { ListMaxListpackSize = fill });
        for (var i = 0; i < 70_000; i++)
        {
            var item = i % 1000 == 7 ? new string('m', 200) : i == 40_000 ? new string('l', 20_000) : "";
            source.Run(i % 2 == 0 ? "RPUSH" : "LPUSH", "l", item);
        }
        Assert.True(ListAt(source, "l").ChunkCount > 1);
        AssertSnapshotRestoresList(source, fill);
    }

    /// <summary>Loads <paramref name="source"/>'s snapshot into a fresh machine: list "l" must come back item for item, in the same chunks.</summary>
    private static void AssertSnapshotRestoresList(Harness source, int fill)
    {
        var original = ListAt(source, "l");
        var target = new Harness(new StateMachineOptions { ListMaxListpackSize = fill });
        target.Machine.LoadSnapshot(new MemoryStream(source.Snapshot()));
        var loaded = ListAt(target, "l");
        Assert.Equal((original.EncodingName, original.ChunkCount, original.Count, original.PackedBytes), (loaded.EncodingName, loaded.ChunkCount, loaded.Count, loaded.PackedBytes));
        Assert.Equal(source.Run("LRANGE", "l", "0", "-1"), target.Run("LRANGE", "l", "0", "-1"));
        Assert.Equal(source.Run("PTTL", "l"), target.Run("PTTL", "l"));
        Assert.Equal(source.Snapshot(), target.Snapshot());
    }

    public static TheoryData<string[][]> UnpackedLayouts => new()
    {
        new[] { new[] { "a", "bb", "" } },
        new[] { new[] { "a", "b" }, new[] { "c", "dd", "e" }, new[] { new string('f', 300) } },
    };

    [Theory]
    [MemberData(nameof(UnpackedLayouts))]
    public void Snapshots_in_the_unpacked_layout_of_older_builds_still_load(string[][] chunks)
    {
        var old = new Harness();
        old.Machine.Keyspace.SetObject(new UnpackedListImage("l"u8.ToArray(), chunks));
        var target = new Harness(new StateMachineOptions { ListMaxListpackSize = 4 });
        target.Machine.LoadSnapshot(new MemoryStream(old.Snapshot()));
        var items = chunks.SelectMany(chunk => chunk).ToArray();
        var loaded = ListAt(target, "l");
        Assert.Equal((chunks.Length > 1 ? "quicklist" : "listpack", chunks.Length), (loaded.EncodingName, loaded.ChunkCount));
        Assert.Equal(Bulks(items), target.Run("LRANGE", "l", "0", "-1"));
        target.Run("RPUSH", "l", "z");
        target.Run("LPOP", "l");
        Assert.Equal(Bulks([.. items[1..], "z"]), target.Run("LRANGE", "l", "0", "-1"));
    }

    /// <summary>A list as builds before 2026-12-05 wrote it in snapshots: each item behind its own length.</summary>
    private sealed class UnpackedListImage(byte[] key, string[][] chunks) : StoredObject(key)
    {
        public override ValueKind Kind => ValueKind.List;

        public override string EncodingName => chunks.Length > 1 ? "quicklist" : "listpack";

        public override long EstimateMemoryUsage() => 0;

        public override void WriteSnapshotValue(SnapshotWriter writer)
        {
            writer.WriteByte(chunks.Length > 1 ? (byte)1 : (byte)0);
            writer.WriteVarint((ulong)chunks.Length);
            foreach (var chunk in chunks)
            {
                writer.WriteVarint((ulong)chunk.Length);
                foreach (var item in chunk)
                {
                    writer.WriteBytes(Encoding.UTF8.GetBytes(item));
                }
            }
        }

        public override StoredObject CloneWithKey(byte[] key) => new UnpackedListImage(key, chunks);
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

    [Fact]
    public void A_copied_quicklist_shares_its_chunks_until_either_side_changes_one()
    {
        var db = new Harness();
        db.Run(["RPUSH", "l", .. Enumerable.Range(0, 6000).Select(i => $"item-{i}")]);
        db.Run("COPY", "l", "c");
        var expected = Enumerable.Range(0, 6000).Select(i => $"item-{i}").ToList();

        // Every kind of in-place change, on both sides: each must copy the shared chunk it touches.
        db.Run("LPUSH", "l", "l-head");
        db.Run("RPUSH", "c", "c-tail");
        db.Run("LSET", "l", "1000", "l-middle");
        db.Run("LINSERT", "c", "BEFORE", "item-500", "c-inserted");
        db.Run("LREM", "l", "1", "item-1500");
        db.Run("LTRIM", "c", "1", "-1");
        db.Run("RPOP", "l");
        db.Run("LPOP", "c");

        var original = new List<string>(expected);
        original.Insert(0, "l-head");
        original[1000] = "l-middle";
        original.Remove("item-1500");
        original.RemoveAt(original.Count - 1);
        var copy = new List<string>(expected);
        copy.Add("c-tail");
        copy.Insert(copy.IndexOf("item-500"), "c-inserted");
        copy.RemoveAt(0);
        copy.RemoveAt(0);
        Assert.Equal(Bulks([.. original]), db.Run("LRANGE", "l", "0", "-1"));
        Assert.Equal(Bulks([.. copy]), db.Run("LRANGE", "c", "0", "-1"));
        Assert.True(ListAt(db, "l").ChunkCount > 4, "the test needs a quicklist of several chunks");
    }
}
