using System.Buffers;
using Dst.Commands.Entries;
using Dst.Protocol;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.Sessions;

/// <summary>Exactly-once writes: a session write is applied once however often it is retried, on every replica alike.</summary>
public sealed class SessionTests
{
    [Fact]
    public void A_retried_write_is_answered_from_the_kept_reply_and_not_applied_again()
    {
        var db = new Harness();
        Assert.Equal(Int(1), db.ApplyPayload(Incr(client: 5, sequence: 1)));
        Assert.Equal(Int(2), db.ApplyPayload(Incr(client: 5, sequence: 2)));
        Assert.Equal(Int(1), db.ApplyPayload(Incr(client: 5, sequence: 1)));
        Assert.Equal(Int(2), db.ApplyPayload(Incr(client: 5, sequence: 2)));
        Assert.Equal(Bulk("2"), db.Run("GET", "counter"));
        // Another client's sequence 1 is its own write.
        Assert.Equal(Int(3), db.ApplyPayload(Incr(client: 6, sequence: 1)));
    }

    [Fact]
    public void A_write_that_arrives_after_a_later_one_is_still_applied_once()
    {
        // After a leader change a retried write may be appended behind newer ones of the same session.
        var db = new Harness();
        Assert.Equal(Int(1), db.ApplyPayload(Incr(5, 1)));
        Assert.Equal(Int(2), db.ApplyPayload(Incr(5, 3)));
        Assert.Equal(Int(3), db.ApplyPayload(Incr(5, 2)));
        Assert.Equal(Int(3), db.ApplyPayload(Incr(5, 2)));
        Assert.Equal(Bulk("3"), db.Run("GET", "counter"));
    }

    [Fact]
    public void Acknowledged_replies_are_dropped_and_their_retries_refused()
    {
        var db = new Harness();
        db.ApplyPayload(Incr(5, 1));
        db.ApplyPayload(Incr(5, 2));
        db.ApplyPayload(Incr(5, 3, ackedThrough: 2));
        Assert.Equal(1, db.Machine.Sessions.Find(5)!.ReplyCount);
        Assert.StartsWith("-ERR session 5 already acknowledged sequence 1", db.ApplyPayload(Incr(5, 1)));
        Assert.Equal(Bulk("3"), db.Run("GET", "counter"));
    }

    [Fact]
    public void Replies_beyond_the_per_session_bound_are_forgotten_and_their_retries_refused()
    {
        var db = new Harness(StateMachineOptions.Default with { MaxRepliesPerSession = 2 });
        for (var sequence = 1UL; sequence <= 3; sequence++)
        {
            db.ApplyPayload(Incr(5, sequence));
        }
        Assert.StartsWith("-ERR session 5 no longer keeps the reply of sequence 1", db.ApplyPayload(Incr(5, 1)));
        Assert.Equal(Int(2), db.ApplyPayload(Incr(5, 2)));
        Assert.Equal(Bulk("3"), db.Run("GET", "counter"));
    }

    [Fact]
    public void The_least_recently_used_session_is_evicted_and_its_later_writes_refused()
    {
        var db = new Harness(StateMachineOptions.Default with { MaxSessions = 2 });
        db.ApplyPayload(Incr(1, 1));
        db.ApplyPayload(Incr(2, 1));
        db.ApplyPayload(Incr(1, 2)); // session 2 is now the least recently used
        db.ApplyPayload(Incr(3, 1));
        Assert.Null(db.Machine.Sessions.Find(2));
        Assert.Equal([1UL, 3UL], db.Machine.Sessions.InEvictionOrder().Select(s => s.Id));
        Assert.StartsWith("-SESSIONEXPIRED session 2 is unknown", db.ApplyPayload(Incr(2, 2)));
        Assert.Equal(Bulk("4"), db.Run("GET", "counter"));
    }

    [Fact]
    public void The_reply_is_kept_in_the_entry_RESP_version_whatever_the_applier_writes()
    {
        var db = new Harness(version: RespVersion.Resp2);
        Assert.Equal("_\r\n", db.ApplyPayload(Encode(new EntrySession(5, 1, RespVersion.Resp3, 0), "SET", "k", "v", "NX", "GET")));
        Assert.Equal("_\r\n", db.ApplyPayload(Encode(new EntrySession(5, 1, RespVersion.Resp3, 0), "SET", "k", "v", "NX", "GET")));
        // A follower applies without a reply writer and keeps the same bytes.
        var follower = new Harness();
        follower.Machine.Apply(1, Encode(new EntrySession(5, 1, RespVersion.Resp3, 0), "SET", "k", "v", "NX", "GET"), null);
        Assert.Equal(db.Machine.Sessions.Find(5)!.ReplyOf(1), follower.Machine.Sessions.Find(5)!.ReplyOf(1));
    }

    [Fact]
    public void Transactions_in_a_session_are_applied_once()
    {
        var db = new Harness();
        using var incr = Harness.Args("INCR", "counter");
        using var append = Harness.Args("APPEND", "log", "x");
        var payload = new ArrayBufferWriter<byte>();
        WriteEntryWriter.EncodeMulti([incr, append], db.Now, payload, new EntrySession(5, 1, RespVersion.Resp2, 0));
        Assert.Equal("*2\r\n:1\r\n:1\r\n", db.ApplyPayload(payload.WrittenSpan));
        Assert.Equal("*2\r\n:1\r\n:1\r\n", db.ApplyPayload(payload.WrittenSpan));
        Assert.Equal(Bulk("x"), db.Run("GET", "log"));
    }

    [Fact]
    public void Sessions_survive_a_snapshot_with_their_order_and_replies()
    {
        var db = new Harness(StateMachineOptions.Default with { MaxSessions = 3 });
        db.ApplyPayload(Incr(1, 1));
        db.ApplyPayload(Incr(2, 1));
        db.ApplyPayload(Incr(2, 2, ackedThrough: 1));
        db.ApplyPayload(Incr(1, 2));
        var image = db.Snapshot();

        var restored = new Harness(StateMachineOptions.Default with { MaxSessions = 3 });
        restored.Machine.LoadSnapshot(new MemoryStream(image));
        Assert.Equal(image, restored.Snapshot());
        Assert.Equal([2UL, 1UL], restored.Machine.Sessions.InEvictionOrder().Select(s => s.Id));
        Assert.Equal(Int(4), restored.ApplyPayload(Incr(1, 2)));
        Assert.StartsWith("-ERR session 2 already acknowledged sequence 1", restored.ApplyPayload(Incr(2, 1)));
        Assert.Equal(Bulk("4"), restored.Run("GET", "counter"));
    }

    [Fact]
    public void A_damaged_session_section_is_refused_and_the_state_kept()
    {
        var db = new Harness();
        db.ApplyPayload(Incr(1, 1));
        var image = db.Snapshot();
        var sectionStart = image.AsSpan().IndexOf("DSTSESS"u8);
        image[sectionStart + 16] ^= 0xFF;
        var target = new Harness();
        target.Run("SET", "mine", "1");
        Assert.Throws<InvalidDataException>(() => target.Machine.LoadSnapshot(new MemoryStream(image)));
        Assert.Equal(Bulk("1"), target.Run("GET", "mine"));
    }

    private static byte[] Incr(ulong client, ulong sequence, ulong ackedThrough = 0) =>
        Encode(new EntrySession(client, sequence, RespVersion.Resp2, ackedThrough), "INCR", "counter");

    private static byte[] Encode(EntrySession session, params string[] words)
    {
        using var args = Harness.Args(words);
        var payload = new ArrayBufferWriter<byte>();
        WriteEntryWriter.EncodeCommand(args, Harness.Epoch, payload, session);
        return payload.WrittenSpan.ToArray();
    }
}
