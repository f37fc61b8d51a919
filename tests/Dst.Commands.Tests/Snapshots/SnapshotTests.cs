using System.Text;
using Dst.Commands.Storage;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.Snapshots;

public sealed class SnapshotTests
{
    [Fact]
    public void Round_trip_of_100k_keys_with_expiries_and_integers()
    {
        var source = new Harness();
        var keyspace = source.Machine.Keyspace;
        for (var i = 0; i < 100_000; i++)
        {
            source.Run("SET", $"key:{i:D8}", i % 3 == 0 ? i.ToString() : $"value-{i}", "PX", (1000 + i).ToString());
            if (i % 2 == 0)
            {
                source.Run("PERSIST", $"key:{i:D8}");
            }
        }
        source.Run("SET", "expired", "x", "PX", "1");
        source.Now += 2;
        var snapshot = source.Snapshot();

        var target = new Harness { Now = source.Now };
        target.Machine.LoadSnapshot(new MemoryStream(snapshot));
        Assert.Equal(source.Machine.AppliedIndex, target.Machine.AppliedIndex);
        Assert.Equal(keyspace.Count, target.Machine.Keyspace.Count);
        Assert.Equal(keyspace.VolatileCount, target.Machine.Keyspace.VolatileCount);
        for (var i = 0; i < 100_000; i += 997)
        {
            var key = $"key:{i:D8}";
            Assert.Equal(source.Run("GET", key), target.Run("GET", key));
            Assert.Equal(source.Run("PTTL", key), target.Run("PTTL", key));
        }
        Assert.Equal(Nil, target.Run("GET", "expired"));
        // The loaded state keeps applying: "expired" is still there until a write meets it.
        Assert.Equal(Int(0), target.Run("DEL", "expired"));
        Assert.Equal(keyspace.Count - 1, target.Machine.Keyspace.Count);
    }

    [Fact]
    public void Corrupt_snapshots_are_rejected_and_leave_the_state_alone()
    {
        var source = new Harness();
        for (var i = 0; i < 100; i++)
        {
            source.Run("SET", $"k{i}", $"v{i}");
        }
        var snapshot = source.Snapshot();
        var target = new Harness();
        target.Run("SET", "mine", "1");
        var flipped = snapshot.ToArray();
        flipped[snapshot.Length / 2] ^= 0x40;
        var badMagic = snapshot.ToArray();
        badMagic[0] = (byte)'X';
        foreach (var corrupt in new[] { flipped, badMagic, snapshot[..^1], snapshot[..20] })
        {
            Assert.ThrowsAny<InvalidDataException>(() => target.Machine.LoadSnapshot(new MemoryStream(corrupt)));
            Assert.Equal(Bulk("1"), target.Run("GET", "mine"));
            Assert.Equal(1, target.Machine.Keyspace.Count);
        }
        target.Machine.LoadSnapshot(new MemoryStream(snapshot));
        Assert.Equal(100, target.Machine.Keyspace.Count);
        Assert.Equal(Nil, target.Run("GET", "mine"));
    }

    [Fact]
    public void An_unknown_value_kind_is_refused_by_name()
    {
        var source = new Harness();
        source.Machine.Keyspace.SetObject(new FakeList(Encoding.UTF8.GetBytes("l"), (ValueKind)99));
        var error = Assert.Throws<InvalidDataException>(() => new Harness().Machine.LoadSnapshot(new MemoryStream(source.Snapshot())));
        Assert.Contains("kind 99", error.Message);
    }
}
