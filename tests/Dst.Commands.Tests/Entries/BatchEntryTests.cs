using System.Buffers;
using Dst.Commands.Entries;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.Entries;

/// <summary>Batch entries: a connection's pipelined writes in one log entry, each applied and answered in turn.</summary>
public sealed class BatchEntryTests
{
    private static byte[] Batch(params string[][] commands)
    {
        var payload = new ArrayBufferWriter<byte>();
        using (var first = Harness.Args(commands[0]))
        {
            WriteEntryWriter.EncodeCommand(first, Harness.Epoch, payload);
        }
        var entry = payload.WrittenSpan.ToArray();
        Assert.True(WriteEntryWriter.MakeBatch(entry));
        payload.ResetWrittenCount();
        payload.Write(entry);
        foreach (var words in commands[1..])
        {
            using var args = Harness.Args(words);
            WriteEntryWriter.AppendToBatch(args, payload);
        }
        return payload.WrittenSpan.ToArray();
    }

    [Fact]
    public void Each_command_applies_in_turn_and_gets_its_own_reply_errors_included()
    {
        var db = new Harness();
        var reply = db.ApplyPayload(Batch(["SET", "a", "1"], ["INCR", "a"], ["LPUSH", "a", "x"], ["INCR", "a"], ["RPUSH", "l", "y"]));
        Assert.Equal(Status("OK") + Int(2) + WrongType + Int(3) + Int(1), reply);
        Assert.Equal(Bulk("3"), db.Run("GET", "a"));
        Assert.Equal(Bulks("y"), db.Run("LRANGE", "l", "0", "-1"));
    }

    [Fact]
    public void Its_keys_count_as_written_at_its_index_for_watch()
    {
        var db = new Harness();
        db.Run("SET", "untouched", "0");
        var index = db.NextIndex;
        db.ApplyPayload(Batch(["SET", "a", "1"], ["SET", "b", "2"]));
        Assert.Equal(index, db.Machine.Modifications.LastWritten("a"u8));
        Assert.Equal(index, db.Machine.Modifications.LastWritten("b"u8));
        Assert.True(db.Machine.Modifications.LastWritten("untouched"u8) < index);
    }

    [Fact]
    public void A_truncated_or_empty_batch_is_rejected_before_anything_applies()
    {
        var entry = Batch(["SET", "a", "1"], ["SET", "b", "2"]);
        var firstCommandEnds = Batch(["SET", "a", "1"]).Length; // there the prefix is a whole batch of one
        for (var length = 1; length < entry.Length; length++) // 0 bytes is a leader's empty entry
        {
            var db = new Harness();
            if (length == firstCommandEnds)
            {
                Assert.Equal(Status("OK"), db.ApplyPayload(entry.AsSpan(0, length)));
                Assert.Equal(Int(1), db.Run("DBSIZE"));
                continue;
            }
            Assert.ThrowsAny<WriteEntryFormatException>(() => db.ApplyPayload(entry.AsSpan(0, length)));
            Assert.Equal(Int(0), db.Run("DBSIZE"));
        }
    }

    [Fact]
    public void Only_a_current_command_entry_without_a_session_becomes_a_batch()
    {
        var session = new ArrayBufferWriter<byte>();
        using var args = Harness.Args("SET", "a", "1");
        WriteEntryWriter.EncodeCommand(args, Harness.Epoch, session, new EntrySession(7, 1, Protocol.RespVersion.Resp2, 0));
        Assert.False(WriteEntryWriter.MakeBatch(session.WrittenSpan.ToArray()));

        var expire = new ArrayBufferWriter<byte>();
        WriteEntryWriter.EncodeExpireIfDue([[(byte)'a']], Harness.Epoch, expire);
        Assert.False(WriteEntryWriter.MakeBatch(expire.WrittenSpan.ToArray()));

        // A version 3 build never wrote batches: the kind is malformed there, not applied as something else.
        var entry = Batch(["SET", "a", "1"]);
        entry[0] = WriteEntryWriter.VersionWithoutBatches;
        Assert.Throws<WriteEntryFormatException>(() => new WriteEntryReader(entry));
        Assert.False(WriteEntryWriter.MakeBatch(entry));
    }
}
