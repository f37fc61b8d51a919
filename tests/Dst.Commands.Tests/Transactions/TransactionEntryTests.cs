using System.Buffers;
using System.Text;
using Dst.Commands.Transactions;
using Dst.Protocol;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.Transactions;

/// <summary>MULTI/EXEC as the state machine sees it: one multi entry, watches decided at apply time.</summary>
public sealed class TransactionEntryTests
{
    [Fact]
    public void A_transaction_runs_every_command_and_replies_one_array()
    {
        var db = new Harness();
        var reply = Exec(db, new TransactionBuilder(), ["SET", "a", "1"], ["INCR", "a"], ["GET", "a"], ["GET", "missing"]);
        Assert.Equal(Array(Ok, Int(2), Bulk("2"), Nil), reply);
        Assert.Equal(Bulk("2"), db.Run("GET", "a"));
    }

    [Fact]
    public void Runtime_errors_are_replies_of_their_own_command_only()
    {
        var db = new Harness();
        db.Run("SET", "s", "text");
        var reply = Exec(db, new TransactionBuilder(), ["INCR", "s"], ["SET", "b", "2"], ["HSET", "s", "f", "v"]);
        Assert.Equal(Array(NotInteger, Ok, WrongType), reply);
        Assert.Equal(Bulk("2"), db.Run("GET", "b"));
    }

    [Fact]
    public void An_unchanged_watched_key_lets_the_transaction_run()
    {
        var db = new Harness();
        db.Run("SET", "w", "1");
        var builder = new TransactionBuilder();
        builder.Watch(Utf8("w"), db.Machine.AppliedIndex);
        db.Run("SET", "other", "x");
        Assert.Equal(Array(Int(2)), Exec(db, builder, ["INCR", "w"]));
    }

    [Fact]
    public void A_watched_key_written_after_the_watch_aborts_with_the_null_array()
    {
        var db = new Harness();
        db.Run("SET", "w", "1");
        var builder = new TransactionBuilder();
        builder.Watch(Utf8("w"), db.Machine.AppliedIndex);
        db.Run("SET", "w", "2");
        Assert.Equal(NilArray, Exec(db, builder, ["SET", "w", "3"], ["SET", "side", "effect"]));
        Assert.Equal(Bulk("2"), db.Run("GET", "w"));
        Assert.Equal(Nil, db.Run("GET", "side"));
    }

    [Fact]
    public void The_aborted_reply_is_null_in_resp3()
    {
        var db = new Harness(version: RespVersion.Resp3);
        var builder = new TransactionBuilder();
        builder.Watch(Utf8("w"), db.Machine.AppliedIndex);
        db.Run("SET", "w", "2");
        Assert.Equal("_\r\n", Exec(db, builder, ["SET", "w", "3"]));
    }

    [Fact]
    public void Flushall_and_expiry_deletions_count_as_writes()
    {
        var db = new Harness();
        var builder = new TransactionBuilder();
        builder.Watch(Utf8("w"), db.Machine.AppliedIndex);
        db.Run("FLUSHALL");
        Assert.Equal(NilArray, Exec(db, builder, ["SET", "w", "1"]));

        db.Run("SET", "e", "1", "PX", "10");
        builder.Clear();
        builder.Watch(Utf8("e"), db.Machine.AppliedIndex);
        db.Now += 100;
        var payload = new ArrayBufferWriter<byte>();
        StateMachine.EncodeExpireIfDue([Utf8("e")], db.Now, payload);
        Assert.Equal(Int(1), db.ApplyPayload(payload.WrittenSpan));
        Assert.Equal(NilArray, Exec(db, builder, ["SET", "e", "2"]));
    }

    [Fact]
    public void Writes_that_change_nothing_leave_a_watch_alone()
    {
        var db = new Harness();
        db.Run("SADD", "s", "m");
        db.Run("ZADD", "z", "1", "m");
        db.Run("HSET", "h", "f", "v");
        var builder = new TransactionBuilder();
        foreach (var key in new[] { "s", "z", "h", "missing" })
        {
            builder.Watch(Utf8(key), db.Machine.AppliedIndex);
        }
        string[][] unchanged =
        [
            ["SADD", "s", "m"], ["SREM", "s", "absent"], ["set.add", "s", "m"],
            ["ZADD", "z", "1", "m"], ["ZADD", "z", "CH", "1.0", "m"], ["ZADD", "z", "NX", "5", "m"], ["ZADD", "z", "XX", "5", "absent"],
            ["ZADD", "z", "GT", "0", "m"], ["ZADD", "z", "LT", "2", "m"], ["ZREM", "z", "absent"], ["zset.add", "z", "1", "m"],
            ["ZADD", "z", "INCR", "0", "m"], ["ZINCRBY", "z", "0", "m"],
            ["ZADD", "missing", "XX", "1", "m"], ["HDEL", "h", "absent"], ["SREM", "missing", "m"],
            ["SET", "s", "v", "NX"], ["SET", "missing", "v", "XX"], ["SETNX", "h", "v"], ["MSETNX", "x", "1", "z", "2"],
            ["HSETNX", "h", "f", "other"], ["DEL", "missing"], ["EXPIRE", "s", "100", "XX"], ["PERSIST", "z"],
            ["LPUSHX", "missing", "v"], ["LREM", "missing", "0", "v"], ["SMOVE", "s", "s", "m"], ["SMOVE", "s", "missing", "absent"],
        ];
        foreach (var call in unchanged)
        {
            Assert.False(db.Run(call).StartsWith('-'), string.Join(' ', call));
        }
        Assert.Equal(Array(Int(1), Int(1), Int(1)), Exec(db, builder, ["SCARD", "s"], ["ZCARD", "z"], ["HLEN", "h"]));
    }

    [Theory]
    [InlineData("SADD", "s", "new")]
    [InlineData("SREM", "s", "m")]
    [InlineData("ZADD", "z", "2", "m")]
    [InlineData("ZADD", "z", "NX", "1", "new")]
    [InlineData("ZINCRBY", "z", "1", "m")]
    [InlineData("ZREM", "z", "m")]
    [InlineData("HDEL", "h", "f")]
    [InlineData("SETNX", "missing", "v")]
    [InlineData("EXPIRE", "z", "100")]
    [InlineData("DEL", "h", "missing")]
    [InlineData("HSETNX", "h", "g", "v")]
    public void A_write_that_changes_its_key_aborts_the_watch(params string[] call)
    {
        var db = new Harness();
        db.Run("SADD", "s", "m");
        db.Run("ZADD", "z", "1", "m");
        db.Run("HSET", "h", "f", "v");
        var builder = new TransactionBuilder();
        builder.Watch(Utf8(call[1]), db.Machine.AppliedIndex);
        db.Run(call);
        Assert.Equal(NilArray, Exec(db, builder, ["PING"]));
    }

    [Fact]
    public void A_delete_of_several_keys_marks_only_those_it_deleted()
    {
        var db = new Harness();
        db.Run("SET", "a", "1");
        db.Run("SET", "b", "2");
        var builder = new TransactionBuilder();
        builder.Watch(Utf8("missing"), db.Machine.AppliedIndex);
        Assert.Equal(Int(1), db.Run("DEL", "missing", "a"));
        Assert.Equal(Array(Ok), Exec(db, builder, ["SET", "missing", "now"]));

        builder.Clear();
        builder.Watch(Utf8("b"), db.Machine.AppliedIndex);
        Assert.Equal(Int(1), db.Run("DEL", "gone", "b"));
        Assert.Equal(NilArray, Exec(db, builder, ["PING"]));
    }

    [Fact]
    public void A_write_that_finds_its_key_expired_deletes_it_and_aborts_the_watch()
    {
        var db = new Harness();
        db.Run("SADD", "s", "m");
        db.Run("PEXPIRE", "s", "10");
        var builder = new TransactionBuilder();
        builder.Watch(Utf8("s"), db.Machine.AppliedIndex);
        db.Now += 100;
        Assert.Equal(Int(0), db.Run("SREM", "s", "m"));
        Assert.Equal(NilArray, Exec(db, builder, ["PING"]));
    }

    [Fact]
    public void Movable_key_writes_mark_the_keys_they_list()
    {
        var db = new Harness();
        db.Run("RPUSH", "l2", "x");
        var before = db.Machine.AppliedIndex;
        db.Run("LMPOP", "2", "l1", "l2", "LEFT");
        Assert.True(db.Machine.Modifications.WrittenSince(Utf8("l2"), before));
        db.Run("ZADD", "src", "1", "a");
        before = db.Machine.AppliedIndex;
        db.Run("ZUNIONSTORE", "dest", "1", "src");
        Assert.True(db.Machine.Modifications.WrittenSince(Utf8("dest"), before));
        Assert.False(db.Machine.Modifications.WrittenSince(Utf8("src"), before)); // its key flags say RO
        before = db.Machine.AppliedIndex;
        db.Run("BZMPOP", "0", "2", "z1", "src", "MIN");
        Assert.True(db.Machine.Modifications.WrittenSince(Utf8("src"), before));
        Assert.True(db.Machine.Modifications.WrittenSince(Utf8("z1"), before));
        Assert.False(db.Machine.Modifications.WrittenSince(Utf8("MIN"), before));
    }

    [Fact]
    public void Keys_a_write_only_reads_are_not_marked_written()
    {
        var db = new Harness();
        db.Run("SADD", "s1", "a");
        db.Run("SADD", "s2", "a");
        db.Run("SET", "from", "v");
        db.Run("ZADD", "zsrc", "1", "m");
        var before = db.Machine.AppliedIndex;
        db.Run("SINTERSTORE", "sdest", "s1", "s2");
        db.Run("COPY", "from", "to");
        db.Run("ZRANGESTORE", "zdest", "zsrc", "0", "-1");
        foreach (var written in new[] { "sdest", "to", "zdest" })
        {
            Assert.True(db.Machine.Modifications.WrittenSince(Utf8(written), before), written);
        }
        foreach (var read in new[] { "s1", "s2", "from", "zsrc" })
        {
            Assert.False(db.Machine.Modifications.WrittenSince(Utf8(read), before), read);
        }
        before = db.Machine.AppliedIndex;
        db.Run("SMOVE", "s1", "s2", "a");
        Assert.True(db.Machine.Modifications.WrittenSince(Utf8("s1"), before));
        Assert.True(db.Machine.Modifications.WrittenSince(Utf8("s2"), before));
    }

    [Fact]
    public void A_movable_key_write_whose_keys_cannot_be_found_counts_as_writing_everything()
    {
        var db = new Harness();
        var before = db.Machine.AppliedIndex;
        Assert.StartsWith("-ERR", db.Run("LMPOP", "0", "l1", "LEFT"));
        Assert.True(db.Machine.Modifications.WrittenSince(Utf8("anything"), before));
    }

    [Fact]
    public void A_blocking_attempt_that_found_nothing_writes_nothing()
    {
        var db = new Harness();
        Assert.Equal(NilArray, db.Run("BLPOP", "empty", "0"));
        Assert.Equal(0UL, db.Machine.Modifications.LastWritten(Utf8("empty")));
        db.Run("RPUSH", "full", "x");
        var pushed = db.Machine.AppliedIndex;
        db.Run("BLPOP", "full", "0");
        Assert.Equal(pushed + 1, db.Machine.Modifications.LastWritten(Utf8("full")));
    }

    [Fact]
    public void Every_replica_decides_exec_alike_even_after_restoring_a_snapshot()
    {
        var leader = new Harness();
        leader.Run("SET", "w", "1");
        var watchedAt = leader.Machine.AppliedIndex;
        leader.Run("SET", "w", "2");
        leader.Run("SET", "quiet", "1");
        var restored = new Harness();
        restored.Machine.LoadSnapshot(new MemoryStream(leader.Snapshot()));
        Assert.Equal(leader.Machine.AppliedIndex, restored.Machine.AppliedIndex);

        var builder = new TransactionBuilder();
        builder.Watch(Utf8("w"), watchedAt);
        builder.Watch(Utf8("quiet"), leader.Machine.AppliedIndex);
        Assert.Equal(NilArray, Exec(leader, builder, ["SET", "x", "1"]));
        Assert.Equal(NilArray, Exec(restored, builder, ["SET", "x", "1"]));
        Assert.Equal(leader.Snapshot(), restored.Snapshot());
    }

    [Fact]
    public void A_snapshot_without_the_modification_table_counts_every_key_as_written()
    {
        var old = new Harness();
        old.Run("SET", "k", "v");
        using var image = new MemoryStream();
        using (var keyspace = old.Machine.Keyspace.Capture())
        {
            Dst.Commands.Snapshots.SnapshotWriter.Write(keyspace, old.Machine.AppliedIndex, image, CancellationToken.None);
        }
        var restored = new Harness();
        restored.Machine.LoadSnapshot(new MemoryStream(image.ToArray()));
        Assert.Equal(Bulk("v"), restored.Run("GET", "k"));
        Assert.Equal(old.Machine.AppliedIndex, restored.Machine.Modifications.LastWritten(Utf8("anything")));
    }

    [Fact]
    public void A_damaged_modification_table_is_refused()
    {
        var source = new Harness();
        source.Run("SET", "k", "v");
        var snapshot = source.Snapshot();
        var flipped = snapshot.ToArray();
        flipped[12] ^= 0x01;
        var target = new Harness();
        Assert.Throws<InvalidDataException>(() => target.Machine.LoadSnapshot(new MemoryStream(flipped)));
        Assert.Throws<InvalidDataException>(() => target.Machine.LoadSnapshot(new MemoryStream(snapshot[..10])));
        Assert.Equal(0, target.Machine.Keyspace.Count);
    }

    private static string Exec(Harness db, TransactionBuilder builder, params string[][] commands)
    {
        builder.ClearCommands();
        foreach (var words in commands)
        {
            using var args = Harness.Args(words);
            builder.Queue(args);
        }
        var payload = new ArrayBufferWriter<byte>();
        builder.Encode(db.Now, payload);
        return db.ApplyPayload(payload.WrittenSpan);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
