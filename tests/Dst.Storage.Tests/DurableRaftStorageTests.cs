using Dst.Raft;

namespace Dst.Storage.Tests;

/// <summary>
/// DurableRaftStorage must read exactly like MemoryStorage after the same operations (the core is
/// tested against MemoryStorage), and keep that view across a reopen.
/// </summary>
public class DurableRaftStorageTests
{
    private static readonly SegmentedLogOptions Options = Payloads.SmallOptions;

    private static Entry E(ulong term, ulong index, int size = 50) => new(term, index, EntryType.Normal, Payloads.For(index * term, size));

    private static List<Entry> Range(ulong term, ulong from, ulong to) =>
        Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => E(term, (ulong)i)).ToList();

    /// <summary>Every observable answer of the two storages agrees, exceptions included.</summary>
    private static void AssertSameView(MemoryStorage expected, DurableRaftStorage actual)
    {
        Assert.Equal(expected.FirstIndex, actual.FirstIndex);
        Assert.Equal(expected.LastIndex, actual.LastIndex);
        Assert.Equal(expected.Snapshot().Metadata.Index, actual.Snapshot().Metadata.Index);
        Assert.Equal(expected.Snapshot().Metadata.Term, actual.Snapshot().Metadata.Term);
        Assert.Equal(expected.Snapshot().Metadata.ConfState, actual.Snapshot().Metadata.ConfState);
        Assert.Equal(expected.Snapshot().Data.ToArray(), actual.Snapshot().Data.ToArray());
        // The durable storage saves the commit index lazily and answers it raised to the snapshot (a
        // node restarting from a snapshot has committed at least that far); otherwise the same state.
        var expectedInitial = expected.InitialState();
        var expectedHard = expectedInitial.HardState;
        if (!expectedHard.IsEmpty)
        {
            expectedHard = expectedHard with { Commit = Math.Max(expectedHard.Commit, expected.Snapshot().Metadata.Index) };
        }
        Assert.Equal(expectedInitial with { HardState = expectedHard }, actual.InitialState());
        var low = expected.FirstIndex > 1 ? expected.FirstIndex - 2 : 0;
        for (var index = low; index <= expected.LastIndex + 1; index++)
        {
            Assert.Equal(Outcome(() => expected.Term(index)), Outcome(() => actual.Term(index)));
        }
        foreach (var maxBytes in new ulong[] { 0, 120, 1000, ulong.MaxValue })
        {
            for (var lo = low; lo <= expected.LastIndex + 1; lo++)
            {
                var hi = Math.Min(expected.LastIndex + 2, lo + 7);
                Assert.Equal(Outcome(() => Read(expected, lo, hi, maxBytes)), Outcome(() => Read(actual, lo, hi, maxBytes)));
            }
        }
    }

    private static string Read(IRaftStorage storage, ulong lo, ulong hi, ulong maxBytes)
    {
        var entries = new List<Entry>();
        storage.Entries(lo, hi, maxBytes, entries);
        return string.Join(",", entries.Select(e => $"{e.Index}/{e.Term}/{Convert.ToHexString(e.Data.Span)}"));
    }

    private static string Outcome<T>(Func<T> read)
    {
        try
        {
            return $"ok {read()}";
        }
        catch (Exception e) when (e is LogCompactedException or LogUnavailableException)
        {
            return e.GetType().Name;
        }
    }

    private static (MemoryStorage Memory, DurableRaftStorage Durable) Both(TempDirectory dir)
    {
        var durable = DurableRaftStorage.Open(dir.Path, Options);
        durable.Bootstrap(1, 2, 3);
        return (MemoryStorage.Bootstrap(1, 2, 3), durable);
    }

    [Fact]
    public void A_new_storage_reads_like_a_new_memory_storage()
    {
        using var dir = new TempDirectory();
        var (memory, durable) = Both(dir);
        using (durable)
        {
            AssertSameView(memory, durable);
        }
    }

    [Fact]
    public void Appends_conflicts_and_overwrites_read_the_same_and_survive_reopen()
    {
        using var dir = new TempDirectory();
        var (memory, durable) = Both(dir);
        var steps = new List<IReadOnlyList<Entry>>
        {
            Range(1, 2, 100),
            Range(2, 90, 130),         // a new leader overwrites an uncommitted suffix
            Range(2, 100, 110),        // held already: the tail after it is still replaced (dropped)
            Range(2, 111, 130),
            Range(3, 131, 140),
            new List<Entry> { E(2, 129), E(4, 130) }, // identical first entry, conflict from the second
        };
        foreach (var entries in steps)
        {
            memory.Append(entries);
            durable.Append(entries);
            durable.Sync();
            AssertSameView(memory, durable);
        }
        memory.SetHardState(new HardState(4, 2, 120));
        durable.SetHardState(new HardState(4, 2, 120));
        durable.Sync();
        Assert.Equal(130ul, durable.DurableIndex);
        durable.Dispose();

        using var reopened = DurableRaftStorage.Open(dir.Path, Options);
        AssertSameView(memory, reopened);
        Assert.Throws<RaftInvariantException>(() => reopened.Append([E(4, 140)]));
    }

    [Fact]
    public void Snapshots_and_compaction_read_the_same_and_survive_reopen()
    {
        using var dir = new TempDirectory();
        var (memory, durable) = Both(dir);
        memory.Append(Range(1, 2, 300));
        durable.Append(Range(1, 2, 300));
        durable.Sync();

        var membership = ConfState.Of([1, 2, 3], [4]);
        memory.CreateSnapshot(200, membership, "state at 200"u8.ToArray());
        durable.CreateSnapshot(200, membership, "state at 200"u8.ToArray());
        memory.Compact(150);
        durable.Compact(150);
        AssertSameView(memory, durable);

        Assert.Throws<SnapshotOutOfDateException>(() => durable.CreateSnapshot(200, membership, ReadOnlyMemory<byte>.Empty));
        Assert.Throws<LogCompactedException>(() => durable.Compact(100));
        Assert.Throws<RaftInvariantException>(() => durable.Compact(250)); // beyond the snapshot: reopen could not rebuild
        durable.Dispose();

        using var reopened = DurableRaftStorage.Open(dir.Path, Options);
        AssertSameView(memory, reopened);
    }

    [Fact]
    public void Applying_a_leaders_snapshot_replaces_the_log_and_survives_reopen()
    {
        using var dir = new TempDirectory();
        var (memory, durable) = Both(dir);
        memory.Append(Range(1, 2, 50));
        durable.Append(Range(1, 2, 50));
        var snapshot = new Snapshot(new SnapshotMetadata(400, 5, ConfState.Of([1, 2, 3, 4])), "leader state"u8.ToArray());
        memory.ApplySnapshot(snapshot);
        durable.ApplySnapshot(snapshot);
        AssertSameView(memory, durable);

        memory.Append(Range(6, 401, 420));
        durable.Append(Range(6, 401, 420));
        durable.Sync();
        Assert.Throws<SnapshotOutOfDateException>(() => durable.ApplySnapshot(new Snapshot(new SnapshotMetadata(300, 5, ConfState.Empty), ReadOnlyMemory<byte>.Empty)));
        durable.Dispose();

        using var reopened = DurableRaftStorage.Open(dir.Path, Options);
        AssertSameView(memory, reopened);
    }

    [Fact]
    public void A_crash_after_saving_a_received_snapshot_but_before_resetting_the_log_is_repaired_on_open()
    {
        using var dir = new TempDirectory();
        using (var durable = DurableRaftStorage.Open(dir.Path, Options))
        {
            durable.Bootstrap(1);
            durable.Append(Range(1, 2, 50));
            durable.Sync();
        }
        // The snapshot file reached the disk; the log reset did not.
        SnapshotStore.Open(Path.Combine(dir.Path, "snapshots"))
            .Save(400, 5, ConfStateCodec.Encode(ConfState.Of([1, 2])), "leader state"u8.ToArray().AsMemory());

        using var reopened = DurableRaftStorage.Open(dir.Path, Options);
        Assert.Equal(401ul, reopened.FirstIndex);
        Assert.Equal(400ul, reopened.LastIndex);
        Assert.Equal(5ul, reopened.Term(400));
        Assert.Equal(ConfState.Of([1, 2]), reopened.InitialState().ConfState);
        Assert.Equal("leader state"u8.ToArray(), reopened.Snapshot().Data.ToArray());
    }

    [Fact]
    public void A_log_compacted_past_every_valid_snapshot_refuses_to_open()
    {
        using var dir = new TempDirectory();
        using (var durable = DurableRaftStorage.Open(dir.Path, Options))
        {
            durable.Bootstrap(1);
            durable.Append(Range(1, 2, 100));
            durable.CreateSnapshot(80, ConfState.Of([1]), "s"u8.ToArray());
            durable.Compact(80);
        }
        var snapshot = Directory.GetFiles(Path.Combine(dir.Path, "snapshots"), "*.snap").Order(StringComparer.Ordinal).Last();
        LogFiles.FlipBit(snapshot, new FileInfo(snapshot).Length - 10);
        var error = Assert.Throws<StorageCorruptedException>(() => DurableRaftStorage.Open(dir.Path, Options));
        Assert.Contains("entries in between are lost", error.Message);
    }

    [Fact]
    public void Bootstrap_refuses_storage_that_already_holds_state()
    {
        using var dir = new TempDirectory();
        using var durable = DurableRaftStorage.Open(dir.Path, Options);
        durable.Append([E(1, 1)]);
        Assert.Throws<InvalidOperationException>(() => durable.Bootstrap(1));
    }

    [Fact]
    public void The_hard_state_is_saved_at_sync_and_reloaded()
    {
        using var dir = new TempDirectory();
        using (var durable = DurableRaftStorage.Open(dir.Path, Options))
        {
            durable.Append([E(3, 1)]);
            durable.SetHardState(new HardState(3, 2, 1));
            durable.Sync();
        }
        using var reopened = DurableRaftStorage.Open(dir.Path, Options);
        Assert.Equal(new HardState(3, 2, 1), reopened.InitialState().HardState);
        Assert.Equal(1ul, reopened.LastIndex);
    }
}
