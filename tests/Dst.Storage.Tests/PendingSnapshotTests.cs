using Dst.Raft;

namespace Dst.Storage.Tests;

/// <summary>
/// A snapshot written in the background: begun at an index, written on another thread while the log
/// goes on, then finished. It is served only once finished, survives a crash at any step with the
/// log consistent, and is never installed over a newer snapshot that arrived meanwhile.
/// </summary>
public class PendingSnapshotTests
{
    private static readonly SegmentedLogOptions Options = Payloads.SmallOptions;

    private static List<Entry> Range(ulong term, ulong from, ulong to) =>
        [.. Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => new Entry(term, (ulong)i, EntryType.Normal, Payloads.For((ulong)i, 40)))];

    private static DurableRaftStorage Founded(TempDirectory dir, ulong lastIndex)
    {
        var storage = DurableRaftStorage.Open(dir.Path, Options);
        storage.Bootstrap(1);
        storage.Append(Range(1, 2, lastIndex));
        storage.Sync();
        return storage;
    }

    [Fact]
    public async Task A_snapshot_written_on_another_thread_while_the_log_grows_is_installed_when_finished()
    {
        using var dir = new TempDirectory();
        using (var storage = Founded(dir, 200))
        {
            var pending = storage.BeginSnapshot(150, ConfState.Of([1]));
            var written = Task.Run(() => pending.Write(stream => stream.Write("state at 150"u8)));
            storage.Append(Range(1, 201, 300));
            storage.Sync();
            await written;

            Assert.Equal(1ul, storage.SnapshotMetadata.Index); // written, not yet installed
            Assert.True(storage.FinishSnapshot(pending));
            Assert.Equal(new SnapshotMetadata(150, 1, ConfState.Of([1])), storage.SnapshotMetadata);
            Assert.Equal("state at 150"u8.ToArray(), storage.Snapshot().Data.ToArray());
            storage.Compact(100);
        }
        using var reopened = DurableRaftStorage.Open(dir.Path, Options);
        Assert.Equal(150ul, reopened.SnapshotMetadata.Index);
        Assert.Equal(101ul, reopened.FirstIndex);
        Assert.Equal(300ul, reopened.LastIndex);
    }

    [Fact]
    public void Until_finished_the_previous_snapshot_is_served_and_a_crash_then_recovers_the_written_one()
    {
        using var dir = new TempDirectory();
        using (var storage = Founded(dir, 100))
        {
            storage.CreateSnapshot(50, ConfState.Of([1]), stream => stream.Write("state at 50"u8));
            var pending = storage.BeginSnapshot(90, ConfState.Of([1]));
            pending.Write(stream => stream.Write("state at 90"u8));
            // A follower asking for the snapshot now gets the installed one, not the newer file.
            Assert.Equal("state at 50"u8.ToArray(), storage.Snapshot().Data.ToArray());
            Assert.Equal(50ul, storage.Snapshot().Metadata.Index);
        }
        // The process died before finishing: the written file is durable and the log still holds it.
        using var reopened = DurableRaftStorage.Open(dir.Path, Options);
        Assert.Equal(90ul, reopened.SnapshotMetadata.Index);
        Assert.Equal("state at 90"u8.ToArray(), reopened.Snapshot().Data.ToArray());
        Assert.Equal(100ul, reopened.LastIndex);
        Assert.Equal(1ul, reopened.Term(95));
    }

    [Fact]
    public void A_snapshot_overtaken_by_a_leaders_newer_one_is_not_installed()
    {
        using var dir = new TempDirectory();
        using (var storage = Founded(dir, 100))
        {
            var pending = storage.BeginSnapshot(80, ConfState.Of([1]));
            storage.ApplySnapshot(new Snapshot(new SnapshotMetadata(400, 3, ConfState.Of([1, 2])), "leader state"u8.ToArray()));
            pending.Write(stream => stream.Write("stale state at 80"u8));

            Assert.False(storage.FinishSnapshot(pending));
            Assert.Equal(400ul, storage.SnapshotMetadata.Index);
            Assert.Equal("leader state"u8.ToArray(), storage.Snapshot().Data.ToArray());
        }
        using var reopened = DurableRaftStorage.Open(dir.Path, Options);
        Assert.Equal(400ul, reopened.SnapshotMetadata.Index);
        Assert.Equal(401ul, reopened.FirstIndex);
    }

    [Fact]
    public void A_failed_write_leaves_no_file_and_cannot_be_finished()
    {
        using var dir = new TempDirectory();
        using var storage = Founded(dir, 100);
        var pending = storage.BeginSnapshot(60, ConfState.Of([1]));
        Assert.Throws<IOException>(() => pending.Write(_ => throw new IOException("disk full")));

        Assert.Throws<InvalidOperationException>(() => storage.FinishSnapshot(pending));
        Assert.Equal(1ul, storage.SnapshotMetadata.Index);
        Assert.Empty(Directory.GetFiles(dir.Combine("snapshots"), "*.tmp"));
        Assert.Single(Directory.GetFiles(dir.Combine("snapshots"), "*.snap"));
    }

    [Fact]
    public void Beginning_checks_the_index_as_creating_does()
    {
        using var dir = new TempDirectory();
        using var storage = Founded(dir, 100);
        storage.CreateSnapshot(50, ConfState.Of([1]), stream => stream.Write("s"u8));
        Assert.Throws<SnapshotOutOfDateException>(() => storage.BeginSnapshot(50, ConfState.Of([1])));
        Assert.Throws<LogUnavailableException>(() => storage.BeginSnapshot(101, ConfState.Of([1])));
    }
}
