using System.Text;

namespace Dst.Storage.Tests;

public class SnapshotStoreTests
{
    private static byte[] Body(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string[] SnapshotFiles(TempDirectory dir) => Directory.GetFiles(dir.Path, "*.snap").Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void An_empty_store_has_no_snapshot()
    {
        using var dir = new TempDirectory();
        Assert.Null(SnapshotStore.Open(dir.Path).TryLoadLatest());
    }

    [Fact]
    public void A_saved_snapshot_loads_with_its_metadata_and_body()
    {
        using var dir = new TempDirectory();
        var store = SnapshotStore.Open(dir.Path);
        var body = Body(1, 200_000);
        store.Save(42, 7, "members 1 2 3"u8, stream =>
        {
            stream.Write(body.AsSpan(0, 1000));
            stream.Write(body, 1000, body.Length - 1000);
        });

        var loaded = SnapshotStore.Open(dir.Path).TryLoadLatest();
        Assert.NotNull(loaded);
        Assert.Equal(42ul, loaded.Index);
        Assert.Equal(7ul, loaded.Term);
        Assert.Equal("members 1 2 3", Encoding.ASCII.GetString(loaded.Metadata.Span));
        Assert.Equal(body.Length, loaded.BodyLength);
        Assert.Equal(body, loaded.ReadBody());
        using var stream = loaded.OpenBody();
        var streamed = new MemoryStream();
        stream.CopyTo(streamed);
        Assert.Equal(body, streamed.ToArray());
    }

    [Fact]
    public void An_empty_body_and_empty_metadata_round_trip()
    {
        using var dir = new TempDirectory();
        var store = SnapshotStore.Open(dir.Path);
        store.Save(1, 1, [], ReadOnlyMemory<byte>.Empty);
        var loaded = store.TryLoadLatest();
        Assert.NotNull(loaded);
        Assert.Empty(loaded.ReadBody());
        Assert.True(loaded.Metadata.IsEmpty);
    }

    [Fact]
    public void Only_the_newest_snapshots_are_kept()
    {
        using var dir = new TempDirectory();
        var store = SnapshotStore.Open(dir.Path, retain: 2);
        for (ulong i = 1; i <= 5; i++)
        {
            store.Save(i * 100, i, [], Body((int)i, 100));
        }
        var files = SnapshotFiles(dir);
        Assert.Equal(2, files.Length);
        Assert.Equal(500ul, store.TryLoadLatest()!.Index);
        Assert.Contains("00000000000000000400-", files[0]);
    }

    [Theory]
    [InlineData(10)]     // header
    [InlineData(5_000)]  // body
    [InlineData(-3)]     // footer (from the end)
    public void A_corrupt_newest_snapshot_falls_back_to_the_previous_one(int offset)
    {
        using var dir = new TempDirectory();
        var store = SnapshotStore.Open(dir.Path);
        var older = Body(1, 10_000);
        store.Save(100, 2, "old"u8, older);
        store.Save(200, 3, "new"u8, Body(2, 10_000));
        var newest = SnapshotFiles(dir)[^1];
        LogFiles.FlipBit(newest, offset >= 0 ? offset : new FileInfo(newest).Length + offset);

        var loaded = store.TryLoadLatest();
        Assert.NotNull(loaded);
        Assert.Equal(100ul, loaded.Index);
        Assert.Equal(older, loaded.ReadBody());
        Assert.True(File.Exists(newest + ".corrupt"));
        Assert.Single(SnapshotFiles(dir));
    }

    [Fact]
    public void A_truncated_snapshot_is_rejected()
    {
        using var dir = new TempDirectory();
        var store = SnapshotStore.Open(dir.Path);
        store.Save(100, 2, [], Body(1, 1000));
        LogFiles.Truncate(SnapshotFiles(dir)[0], 500);
        Assert.Null(store.TryLoadLatest());
    }

    [Fact]
    public void Temporary_files_from_an_interrupted_save_are_deleted_and_never_loaded()
    {
        using var dir = new TempDirectory();
        var store = SnapshotStore.Open(dir.Path);
        store.Save(100, 2, [], Body(1, 1000));
        var torn = dir.Combine("00000000000000000300-00000000000000000004.snap.tmp");
        File.WriteAllBytes(torn, Body(3, 77));
        var reopened = SnapshotStore.Open(dir.Path);
        Assert.False(File.Exists(torn));
        Assert.Equal(100ul, reopened.TryLoadLatest()!.Index);
    }

    [Fact]
    public void A_failing_body_writer_leaves_no_file_behind()
    {
        using var dir = new TempDirectory();
        var store = SnapshotStore.Open(dir.Path);
        Assert.Throws<InvalidOperationException>(() => store.Save(1, 1, [], _ => throw new InvalidOperationException("boom")));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
