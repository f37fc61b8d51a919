using System.Buffers;
using System.Buffers.Binary;
using Dst.Commands.Entries;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests;

/// <summary>
/// The encoding thresholds as replicated state: changed by a Configure entry at its place in the log,
/// refused with CONFIG SET's words when invalid, and carried by snapshots (older snapshots without
/// the settings section restore the start-up values).
/// </summary>
public sealed class ConfigureEntryTests
{
    private static byte[] Configure(params (string Name, string Value)[] settings)
    {
        var payload = new ArrayBufferWriter<byte>();
        StateMachine.EncodeConfigure(settings, Harness.Epoch, payload);
        return payload.WrittenSpan.ToArray();
    }

    private static string GrowHash(Harness db, string key, int fields)
    {
        for (var i = 0; i < fields; i++)
        {
            db.Run("HSET", key, $"f{i}", "v");
        }
        return db.Run("OBJECT", "ENCODING", key);
    }

    [Fact]
    public void A_configure_entry_changes_the_thresholds_apply_uses_from_its_index_on()
    {
        var db = new Harness();
        Assert.Equal(Bulk("listpack"), GrowHash(db, "before", 5));
        Assert.Equal(Ok, db.ApplyPayload(Configure(("hash-max-listpack-entries", "4"), ("zset-max-ziplist-entries", "7"))));
        Assert.Equal(4, db.Machine.Options.HashMaxListpackEntries);
        Assert.Equal(7, db.Machine.Options.ZsetMaxListpackEntries);
        Assert.Equal(Bulk("hashtable"), GrowHash(db, "after", 5));
        // A hash already built keeps its encoding until it next changes, as in Redis.
        Assert.Equal(Bulk("listpack"), db.Run("OBJECT", "ENCODING", "before"));
    }

    [Fact]
    public void An_invalid_setting_is_refused_in_redis_words_and_changes_nothing()
    {
        var db = new Harness();
        Assert.Equal(
            Err("ERR CONFIG SET failed (possibly related to argument 'list-max-listpack-size') - argument must not be 0"),
            db.ApplyPayload(Configure(("hash-max-listpack-entries", "4"), ("list-max-listpack-size", "0"))));
        Assert.Equal(
            Err("ERR CONFIG SET failed (possibly related to argument 'set-max-intset-entries') - argument couldn't be parsed into an integer"),
            db.ApplyPayload(Configure(("set-max-intset-entries", "many"))));
        Assert.Equal(Err("ERR Unknown option or number of arguments for CONFIG SET - 'maxmemory'"), db.ApplyPayload(Configure(("maxmemory", "1"))));
        Assert.Equal(StateMachineOptions.Default, db.Machine.Options);
        Assert.Equal(3UL, db.Machine.AppliedIndex);
    }

    [Fact]
    public void The_entry_round_trips_and_a_truncated_one_is_rejected()
    {
        var payload = Configure(("hash-max-listpack-value", "32"), ("list-max-listpack-size", "-3"));
        var reader = new WriteEntryReader(payload);
        Assert.Equal(WriteEntryKind.Configure, reader.Header.Kind);
        Assert.Equal([("hash-max-listpack-value", "32"), ("list-max-listpack-size", "-3")], reader.ReadSettings());
        var db = new Harness();
        Assert.Throws<WriteEntryFormatException>(() => db.ApplyPayload(payload.AsSpan(0, payload.Length - 1)));
        Assert.Equal(StateMachineOptions.Default, db.Machine.Options);
    }

    [Fact]
    public void Snapshots_carry_the_applied_thresholds_over_the_start_up_ones()
    {
        var source = new Harness();
        source.ApplyPayload(Configure(("hash-max-listpack-entries", "4"), ("set-max-listpack-value", "9")));
        source.Run("SET", "k", "v");
        var snapshot = source.Snapshot();

        var restored = new Harness(StateMachineOptions.Default with { HashMaxListpackEntries = 1000 });
        restored.Machine.LoadSnapshot(new MemoryStream(snapshot));
        Assert.Equal(source.Machine.Options, restored.Machine.Options);
        Assert.Equal(snapshot, restored.Snapshot());
        Assert.Equal(Bulk("hashtable"), GrowHash(restored, "h", 5));
    }

    [Fact]
    public void A_snapshot_without_the_settings_section_restores_the_start_up_thresholds()
    {
        var source = new Harness();
        source.ApplyPayload(Configure(("hash-max-listpack-entries", "4")));
        source.Run("SET", "k", "v");
        var snapshot = source.Snapshot();
        var sectionLength = 8 + sizeof(uint) + (int)BinaryPrimitives.ReadUInt32LittleEndian(snapshot.AsSpan(8)) + sizeof(uint);
        var older = snapshot[sectionLength..];

        var startUp = StateMachineOptions.Default with { HashMaxListpackEntries = 2 };
        var restored = new Harness(startUp);
        restored.ApplyPayload(Configure(("hash-max-listpack-entries", "50")));
        restored.Machine.LoadSnapshot(new MemoryStream(older));
        Assert.Equal(startUp, restored.Machine.Options);
        Assert.Equal(Bulk("v"), restored.Run("GET", "k"));
        Assert.Equal(Bulk("hashtable"), GrowHash(restored, "h", 3));
    }
}
