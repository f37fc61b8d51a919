using System.Buffers;
using System.Text;
using Dst.Protocol;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests;

public sealed class StateMachineTests
{
    [Fact]
    public void Reads_hide_expired_keys_without_deleting_them()
    {
        var db = new Harness();
        db.Run("SET", "k", "v", "PX", "100");
        db.Now += 101;
        Assert.Equal(Nil, db.Run("GET", "k"));
        Assert.Equal(Int(0), db.Run("EXISTS", "k"));
        Assert.Equal(1, db.Machine.Keyspace.Count);
        // A write at a later timestamp meets the expired key and deletes it.
        Assert.Equal(Int(1), db.Run("SETNX", "k", "new"));
        Assert.Equal(Bulk("new"), db.Run("GET", "k"));
        Assert.Equal(0, db.Machine.Keyspace.VolatileCount);
    }

    [Fact]
    public void Writes_use_the_entry_timestamp_not_the_clock()
    {
        var db = new Harness();
        db.ApplyPayload(Harness.EncodeCommand(5_000, "SET", "k", "v", "EX", "10"));
        db.Now = 5_000;
        Assert.Equal(Int(15_000), db.Run("PEXPIRETIME", "k"));
        db.Now = 15_001;
        Assert.Equal(Nil, db.Run("GET", "k"));
    }

    [Fact]
    public void Expire_if_due_deletes_only_keys_still_expired_at_its_timestamp()
    {
        var db = new Harness();
        db.Run("SET", "gone", "1", "PX", "10");
        db.Run("SET", "renewed", "1", "PX", "10");
        db.Run("SET", "later", "1", "PX", "1000");
        db.Now += 20;
        var expired = new List<byte[]>();
        Assert.Equal(2, db.Machine.CollectExpiredKeys(db.Now, 10, expired));
        Assert.Equal(["gone", "renewed"], expired.Select(Encoding.UTF8.GetString).Order());
        db.Run("SET", "renewed", "2");
        var payload = new ArrayBufferWriter<byte>();
        StateMachine.EncodeExpireIfDue([.. expired, Encoding.UTF8.GetBytes("later")], db.Now, payload);
        Assert.Equal(Int(1), db.ApplyPayload(payload.WrittenSpan));
        Assert.Equal(2, db.Machine.Keyspace.Count);
        Assert.Equal(Bulk("2"), db.Run("GET", "renewed"));
        Assert.Equal(Bulk("1"), db.Run("GET", "later"));
        Assert.Equal(0, db.Machine.CollectExpiredKeys(db.Now, 10, expired = []));
    }

    [Fact]
    public void Entries_at_or_below_the_applied_index_are_skipped()
    {
        var db = new Harness();
        var output = new ArrayBufferWriter<byte>();
        var reply = new RespWriter(output);
        db.Machine.Apply(5, Harness.EncodeCommand(Harness.Epoch, "INCR", "n"), reply);
        db.Machine.Apply(5, Harness.EncodeCommand(Harness.Epoch, "INCR", "n"), reply);
        db.Machine.Apply(3, Harness.EncodeCommand(Harness.Epoch, "INCR", "n"), reply);
        Assert.Equal(":1\r\n", Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Equal(5UL, db.Machine.AppliedIndex);
    }

    [Fact]
    public void Replay_without_a_reply_writer_applies_silently()
    {
        var db = new Harness();
        db.Machine.Apply(1, Harness.EncodeCommand(Harness.Epoch, "SET", "k", "v"), reply: null);
        db.Machine.Apply(2, Harness.EncodeCommand(Harness.Epoch, "NOSUCH", "k"), reply: null);
        Assert.Equal(Bulk("v"), db.Run("GET", "k"));
        Assert.Equal(2UL, db.Machine.AppliedIndex);
    }

    [Fact]
    public void Logged_commands_are_checked_like_client_commands()
    {
        var db = new Harness();
        Assert.Equal(Err("ERR unknown command 'nosuch', with args beginning with: 'x' "), db.ApplyPayload(Harness.EncodeCommand(1, "nosuch", "x")));
        Assert.Equal(Err("ERR wrong number of arguments for 'get' command"), db.ApplyPayload(Harness.EncodeCommand(1, "GET")));
        Assert.StartsWith("-ERR 'ping' is answered by the server", db.ApplyPayload(Harness.EncodeCommand(1, "PING")));
    }

    [Fact]
    public void Execute_read_refuses_write_and_server_commands()
    {
        var machine = new StateMachine(CommandTable.Default, StateMachineOptions.Default);
        using var args = Harness.Args("SET", "k", "v");
        var reply = new RespWriter(new ArrayBufferWriter<byte>());
        Assert.Throws<ArgumentException>(() => machine.ExecuteRead(CommandTable.Default.Lookup("set")!, args, 0, reply));
        Assert.Throws<ArgumentException>(() => machine.ExecuteRead(CommandTable.Default.Lookup("ping")!, args, 0, reply));
    }

    [Fact]
    public void Get_read_and_incr_apply_do_not_allocate()
    {
        var db = new Harness();
        db.Run("SET", "k", "0123456789abcdef");
        db.Run("SET", "n", "1");
        var machine = db.Machine;
        var output = new ArrayBufferWriter<byte>(1 << 16);
        var reply = new RespWriter(output);
        using var get = Harness.Args("GET", "k");
        var getSpec = machine.Table.Lookup("get"u8)!;
        var incr = Harness.EncodeCommand(Harness.Epoch, "INCR", "n");
        for (var i = 0; i < 2_000; i++)
        {
            output.ResetWrittenCount();
            machine.ExecuteRead(getSpec, get, Harness.Epoch, reply);
            machine.Apply(machine.AppliedIndex + 1, incr, reply);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            output.ResetWrittenCount();
            machine.ExecuteRead(getSpec, get, Harness.Epoch, reply);
            machine.Apply(machine.AppliedIndex + 1, incr, reply);
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.Equal(Bulk("2101"), db.Run("GET", "n"));
    }

    [Fact]
    public void Replicas_applying_the_same_entries_write_identical_snapshots()
    {
        var random = new Random(2024);
        var entries = new List<byte[]>();
        var timestamp = Harness.Epoch;
        for (var i = 0; i < 20_000; i++)
        {
            timestamp += random.Next(0, 5);
            var key = $"key:{random.Next(3_000)}";
            entries.Add((random.Next(6)) switch
            {
                0 => Harness.EncodeCommand(timestamp, "SET", key, $"value-{i}", "PX", random.Next(1, 200).ToString()),
                1 => Harness.EncodeCommand(timestamp, "INCR", $"n:{random.Next(100)}"),
                2 => Harness.EncodeCommand(timestamp, "DEL", key),
                3 => Harness.EncodeCommand(timestamp, "APPEND", key, "x"),
                4 => Harness.EncodeCommand(timestamp, "RENAME", key, $"key:{random.Next(3_000)}"),
                _ => Harness.EncodeCommand(timestamp, "SET", key, i.ToString()),
            });
        }
        var leader = new StateMachine(CommandTable.Default, StateMachineOptions.Default);
        var follower = new StateMachine(CommandTable.Default, StateMachineOptions.Default);
        var reply = new RespWriter(new ArrayBufferWriter<byte>());
        for (var i = 0; i < entries.Count; i++)
        {
            leader.Apply((ulong)i + 1, entries[i], reply);
            follower.Apply((ulong)i + 1, entries[i], reply: null);
        }
        Assert.Equal(SnapshotOf(leader), SnapshotOf(follower));
    }

    private static byte[] SnapshotOf(StateMachine machine)
    {
        using var stream = new MemoryStream();
        machine.WriteSnapshot(stream);
        return stream.ToArray();
    }
}
