using System.Buffers;
using System.Text;
using Dst.Commands.Entries;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.Entries;

public sealed class WriteEntryTests
{
    [Fact]
    public void Command_entries_round_trip_with_header()
    {
        var payload = new ArrayBufferWriter<byte>();
        using var args = Harness.Args("SET", "key", "", new string('x', 300));
        WriteEntryWriter.EncodeCommand(args, 1234567, payload, new EntrySession(77, 300, Protocol.RespVersion.Resp3, 250));
        var reader = new WriteEntryReader(payload.WrittenSpan);
        Assert.Equal(new WriteEntryHeader(WriteEntryKind.Command, 1234567, 77, 300, Protocol.RespVersion.Resp3, 250), reader.Header);
        using var decoded = new Protocol.CommandArgs();
        reader.ReadCommand(decoded);
        reader.EnsureAtEnd();
        Assert.Equal(4, decoded.Count);
        Assert.Equal("SET", decoded.GetString(0));
        Assert.Equal("", decoded.GetString(2));
        Assert.Equal(300, decoded[3].Length);
    }

    [Fact]
    public void A_command_body_is_its_argument_count_then_each_argument_behind_its_length()
    {
        // The layout every build has written and read; entries already in logs depend on it.
        var payload = new ArrayBufferWriter<byte>();
        var value = new string('x', 130);
        using var args = Harness.Args("SET", "k", value);
        WriteEntryWriter.EncodeCommand(args, 5, payload);
        var body = payload.WrittenSpan[new WriteEntryReader(payload.WrittenSpan).HeaderLength..].ToArray();
        byte[] expected = [3, 3, .. "SET"u8, 1, (byte)'k', 0x82, 0x01, .. Encoding.ASCII.GetBytes(value)];
        Assert.Equal(expected, body);
    }

    [Fact]
    public void A_session_added_to_an_entry_keeps_its_timestamp_and_body()
    {
        var plain = Harness.EncodeCommand(Harness.Epoch, "INCR", "counter");
        var stamped = new ArrayBufferWriter<byte>();
        var session = new EntrySession(9, 1, Protocol.RespVersion.Resp2, 0);
        WriteEntryWriter.AddSession(plain, session, stamped);
        var reader = new WriteEntryReader(stamped.WrittenSpan);
        Assert.Equal(new WriteEntryHeader(WriteEntryKind.Command, Harness.Epoch, 9, 1), reader.Header);
        Assert.Equal(plain.AsSpan(new WriteEntryReader(plain).HeaderLength).ToArray(), stamped.WrittenSpan[reader.HeaderLength..].ToArray());
        Assert.Throws<ArgumentException>(() => WriteEntryWriter.AddSession(stamped.WrittenSpan, session, new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void Version_1_entries_written_before_sessions_still_apply()
    {
        var entry = Harness.EncodeCommand(Harness.Epoch, "SET", "k", "v");
        entry[0] = WriteEntryWriter.VersionWithoutSessions;
        var db = new Harness();
        Assert.Equal(Ok, db.ApplyPayload(entry));
        Assert.Equal(Bulk("v"), db.Run("GET", "k"));
    }

    [Fact]
    public void Version_2_entries_apply_as_they_did_when_written()
    {
        // Before version 3 a write that changed nothing still aborted a WATCH of its key.
        var db = new Harness();
        db.Run("SADD", "s", "m");
        var watchedAt = db.Machine.AppliedIndex;
        var entry = Harness.EncodeCommand(Harness.Epoch, "SADD", "s", "m");
        entry[0] = WriteEntryWriter.VersionMarkingEveryWrite;
        Assert.Equal(Int(0), db.ApplyPayload(entry));
        Assert.True(db.Machine.Modifications.WrittenSince(Encoding.UTF8.GetBytes("s"), watchedAt));
        db.ApplyPayload(Harness.EncodeCommand(Harness.Epoch, "SADD", "t", "m"));
        watchedAt = db.Machine.AppliedIndex;
        Assert.Equal(Int(0), db.ApplyPayload(Harness.EncodeCommand(Harness.Epoch, "SADD", "t", "m")));
        Assert.False(db.Machine.Modifications.WrittenSince(Encoding.UTF8.GetBytes("t"), watchedAt));
    }

    [Fact]
    public void A_version_3_entry_seeds_its_random_draws_with_its_index_and_a_version_2_entry_did_not()
    {
        string Pop(int padding, byte version)
        {
            var db = new Harness();
            db.Run(["SADD", "s", .. Enumerable.Range(0, 1000).Select(i => $"m{i}")]);
            for (var i = 0; i < padding; i++)
            {
                db.Run("SET", "pad", "x");
            }
            var entry = Harness.EncodeCommand(Harness.Epoch, "SPOP", "s");
            entry[0] = version;
            return db.ApplyPayload(entry);
        }
        Assert.Equal(Pop(0, WriteEntryWriter.VersionMarkingEveryWrite), Pop(1, WriteEntryWriter.VersionMarkingEveryWrite));
        Assert.NotEqual(Pop(0, WriteEntryWriter.VersionWithoutBatches), Pop(1, WriteEntryWriter.VersionWithoutBatches));
        Assert.Equal(Pop(1, WriteEntryWriter.VersionWithoutBatches), Pop(1, WriteEntryWriter.Version));
        Assert.NotEqual(Pop(0, WriteEntryWriter.Version), Pop(1, WriteEntryWriter.Version));
    }

    [Fact]
    public void An_entry_of_a_later_version_is_refused_as_unsupported_not_malformed()
    {
        var entry = Harness.EncodeCommand(Harness.Epoch, "SET", "k", "v");
        entry[0] = WriteEntryWriter.Version + 1;
        Assert.Throws<UnsupportedEntryVersionException>(() => new WriteEntryReader(entry));
        entry[0] = 0;
        Assert.Throws<WriteEntryFormatException>(() => new WriteEntryReader(entry));
    }

    [Fact]
    public void Every_truncation_of_an_entry_is_rejected_and_changes_nothing()
    {
        var payload = Harness.EncodeCommand(Harness.Epoch, "SET", "key", "value");
        var db = new Harness();
        for (var length = 0; length < payload.Length; length++)
        {
            if (length == 0)
            {
                continue; // an empty payload is Raft's empty entry, a valid no-op
            }
            Assert.Throws<WriteEntryFormatException>(() => db.ApplyPayload(payload.AsSpan(0, length)));
            Assert.Equal(0UL, db.Machine.AppliedIndex);
            Assert.Equal(0, db.Machine.Keyspace.Count);
        }
        Assert.Equal(Ok, db.ApplyPayload(payload));
        Assert.Equal(1UL, db.Machine.AppliedIndex);
    }

    [Fact]
    public void Bad_version_kind_trailing_bytes_and_huge_counts_are_rejected()
    {
        var db = new Harness();
        var good = Harness.EncodeCommand(Harness.Epoch, "SET", "k", "v");
        var badVersion = good.ToArray();
        badVersion[0] = 9;
        var badKind = good.ToArray();
        badKind[1] = 42;
        var trailing = good.Append((byte)0).ToArray();
        var hugeArgc = good[..12].Concat(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }).ToArray();
        var noArgs = good[..12].Append((byte)0).ToArray();
        foreach (var payload in new[] { badVersion, badKind, trailing, hugeArgc, noArgs })
        {
            var error = Assert.ThrowsAny<WriteEntryFormatException>(() => db.ApplyPayload(payload));
            Assert.StartsWith("write entry", error.Message);
        }
        Assert.Equal(0, db.Machine.Keyspace.Count);
    }

    [Fact]
    public void A_corrupt_multi_entry_applies_none_of_its_commands()
    {
        var db = new Harness();
        using var first = Harness.Args("SET", "a", "1");
        using var second = Harness.Args("SET", "b", "2");
        var payload = new ArrayBufferWriter<byte>();
        WriteEntryWriter.EncodeMulti([first, second], Harness.Epoch, payload);
        var truncated = payload.WrittenSpan[..^1].ToArray();
        Assert.Throws<WriteEntryFormatException>(() => db.ApplyPayload(truncated));
        Assert.Equal(0, db.Machine.Keyspace.Count);
        Assert.Equal(Array(Ok, Ok), db.ApplyPayload(payload.WrittenSpan));
        Assert.Equal(2, db.Machine.Keyspace.Count);
    }

    [Fact]
    public void Noop_and_empty_entries_only_advance_the_index()
    {
        var db = new Harness();
        var payload = new ArrayBufferWriter<byte>();
        WriteEntryWriter.EncodeNoop(Harness.Epoch, payload);
        Assert.Equal("", db.ApplyPayload(payload.WrittenSpan));
        Assert.Equal("", db.ApplyPayload([]));
        Assert.Equal(2UL, db.Machine.AppliedIndex);
    }

    [Fact]
    public void Expire_if_due_keys_round_trip()
    {
        var payload = new ArrayBufferWriter<byte>();
        WriteEntryWriter.EncodeExpireIfDue([Encoding.UTF8.GetBytes("a"), Encoding.UTF8.GetBytes("bb")], 5, payload);
        var reader = new WriteEntryReader(payload.WrittenSpan);
        Assert.Equal(WriteEntryKind.ExpireIfDue, reader.Header.Kind);
        Assert.Equal(2, reader.ReadCount("keys"));
        Assert.Equal("a", Encoding.UTF8.GetString(reader.ReadBytes("key")));
        Assert.Equal("bb", Encoding.UTF8.GetString(reader.ReadBytes("key")));
        reader.EnsureAtEnd();
    }
}
