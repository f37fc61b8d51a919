using Dst.Raft;

namespace Dst.Storage.Tests;

public class SegmentedLogTests
{
    private static void AppendRange(SegmentedLog log, ulong from, ulong to, ulong term = 1, int size = 64)
    {
        for (var i = from; i <= to; i++)
        {
            log.Append(term, i, EntryType.Normal, Payloads.For(i, size));
        }
    }

    private static void AssertEntry(SegmentedLog log, ulong index, ulong term, int size = 64)
    {
        var entry = log.Read(index);
        Assert.Equal(index, entry.Index);
        Assert.Equal(term, entry.Term);
        Assert.Equal(Payloads.For(index, size), entry.Data.ToArray());
    }

    [Fact]
    public void A_new_log_is_empty_and_starts_at_index_one()
    {
        using var dir = new TempDirectory();
        using var log = SegmentedLog.Open(dir.Path, SegmentedLogOptions.Default);
        Assert.Equal(1ul, log.FirstIndex);
        Assert.Equal(0ul, log.LastIndex);
        Assert.Equal(0ul, log.LastTerm);
        Assert.Equal(0ul, log.Term(0));
        Assert.Equal(0, log.Recovery.DroppedBytes);
    }

    [Fact]
    public void Appends_are_readable_at_once_and_durable_only_after_sync()
    {
        using var dir = new TempDirectory();
        using var log = SegmentedLog.Open(dir.Path, SegmentedLogOptions.Default);
        log.Append(1, 1, EntryType.Normal, Payloads.For(1, 64));
        log.Append(new Entry(2, 2, EntryType.ConfChange, Payloads.For(2, 64)));
        Assert.Equal(2ul, log.LastIndex);
        Assert.Equal(2ul, log.LastTerm);
        Assert.Equal(0ul, log.DurableIndex);
        AssertEntry(log, 1, 1);
        Assert.Equal(EntryType.ConfChange, log.Read(2).Type);

        log.Sync();
        Assert.Equal(2ul, log.DurableIndex);
        Assert.Equal(1ul, log.Term(1));
        Assert.Equal(2ul, log.Term(2));
    }

    [Fact]
    public void Reopen_recovers_every_synced_entry()
    {
        using var dir = new TempDirectory();
        using (var log = SegmentedLog.Open(dir.Path, Payloads.SmallOptions))
        {
            AppendRange(log, 1, 50, term: 1);
            AppendRange(log, 51, 200, term: 3);
            log.Sync();
        }
        using var reopened = SegmentedLog.Open(dir.Path, Payloads.SmallOptions);
        Assert.Equal(1ul, reopened.FirstIndex);
        Assert.Equal(200ul, reopened.LastIndex);
        Assert.Equal(3ul, reopened.LastTerm);
        Assert.Equal(200ul, reopened.DurableIndex);
        Assert.Equal(0, reopened.Recovery.DroppedBytes);
        for (ulong i = 1; i <= 200; i++)
        {
            AssertEntry(reopened, i, i <= 50 ? 1ul : 3ul);
        }
    }

    [Fact]
    public void Segments_roll_at_the_configured_size_and_reads_cross_them()
    {
        using var dir = new TempDirectory();
        using var log = SegmentedLog.Open(dir.Path, Payloads.SmallOptions);
        AppendRange(log, 1, 300);
        var segments = LogFiles.Segments(dir.Path);
        Assert.True(segments.Length >= 6, $"expected several segments, got {segments.Length}");
        Assert.Equal(1ul, LogFiles.FirstIndexOf(segments[0]));
        Assert.All(segments[..^1], s => Assert.InRange(new FileInfo(s).Length, 4096, 4096 + 89));
        Assert.True(log.DurableIndex > 0, "sealing a segment fsyncs it");

        var range = new List<Entry>();
        log.ReadRange(1, 301, long.MaxValue, range);
        Assert.Equal(300, range.Count);
        for (var i = 0; i < range.Count; i++)
        {
            Assert.Equal((ulong)i + 1, range[i].Index);
            Assert.Equal(Payloads.For((ulong)i + 1, 64), range[i].Data.ToArray());
        }
    }

    [Fact]
    public void ReadRange_stops_at_the_byte_limit_but_returns_at_least_one_entry()
    {
        using var dir = new TempDirectory();
        using var log = SegmentedLog.Open(dir.Path, Payloads.SmallOptions);
        AppendRange(log, 1, 100);
        var range = new List<Entry>();
        log.ReadRange(10, 100, 64 * 5, range);
        Assert.Equal([10ul, 11, 12, 13, 14], range.Select(e => e.Index));

        range.Clear();
        log.ReadRange(10, 100, 1, range);
        Assert.Equal([10ul], range.Select(e => e.Index));

        range.Clear();
        log.ReadRange(98, 101, 0, range); // from the tail cache
        Assert.Equal([98ul], range.Select(e => e.Index));

        range.Clear();
        log.ReadRange(5, 5, 100, range);
        Assert.Empty(range);
    }

    [Fact]
    public void Reads_of_unsynced_entries_beyond_the_cache_come_from_the_write_buffer_path()
    {
        using var dir = new TempDirectory();
        using var log = SegmentedLog.Open(dir.Path, Payloads.SmallOptions with { SegmentBytes = 1 << 20, WriteBufferBytes = 1 << 16 });
        AppendRange(log, 1, 20); // cache holds 4, the rest sit unsynced in the write buffer
        for (ulong i = 1; i <= 20; i++)
        {
            AssertEntry(log, i, 1);
        }
        Assert.Equal(0ul, log.DurableIndex);
    }

    [Fact]
    public void Append_rejects_a_gap_a_repeat_and_a_lower_term()
    {
        using var dir = new TempDirectory();
        using var log = SegmentedLog.Open(dir.Path, SegmentedLogOptions.Default);
        log.Append(2, 1, EntryType.Normal, []);
        var gap = Assert.Throws<InvalidOperationException>(() => log.Append(2, 3, EntryType.Normal, []));
        Assert.Contains("next must be 2", gap.Message);
        Assert.Throws<InvalidOperationException>(() => log.Append(2, 1, EntryType.Normal, []));
        var lower = Assert.Throws<InvalidOperationException>(() => log.Append(1, 2, EntryType.Normal, []));
        Assert.Contains("higher term 2", lower.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => log.Append(2, 2, (EntryType)9, []));
        Assert.Equal(1ul, log.LastIndex);
    }

    [Fact]
    public void Reading_outside_the_log_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        using var log = SegmentedLog.Open(dir.Path, SegmentedLogOptions.Default);
        AppendRange(log, 1, 3);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => log.Read(4));
        Assert.Contains("holds [1, 3]", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => log.Term(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.ReadRange(2, 5, 100, []));
    }

    [Fact]
    public void TruncateSuffix_removes_the_tail_across_segments_durably_and_appends_continue()
    {
        using var dir = new TempDirectory();
        using (var log = SegmentedLog.Open(dir.Path, Payloads.SmallOptions))
        {
            AppendRange(log, 1, 200, term: 1);
            log.Sync();
            var before = LogFiles.Segments(dir.Path).Length;
            log.TruncateSuffix(60);
            Assert.Equal(59ul, log.LastIndex);
            Assert.Equal(59ul, log.DurableIndex);
            Assert.True(LogFiles.Segments(dir.Path).Length < before);
            Assert.Throws<ArgumentOutOfRangeException>(() => log.Read(60));

            AppendRange(log, 60, 80, term: 2);
            log.Sync();
            AssertEntry(log, 59, 1);
            AssertEntry(log, 60, 2);
        }
        using var reopened = SegmentedLog.Open(dir.Path, Payloads.SmallOptions);
        Assert.Equal(80ul, reopened.LastIndex);
        Assert.Equal(0, reopened.Recovery.DroppedBytes);
        AssertEntry(reopened, 59, 1);
        AssertEntry(reopened, 80, 2);
        Assert.Equal(2ul, reopened.Term(60));
    }

    [Fact]
    public void TruncateSuffix_of_everything_leaves_an_empty_log_that_accepts_the_same_index()
    {
        using var dir = new TempDirectory();
        using var log = SegmentedLog.Open(dir.Path, Payloads.SmallOptions);
        AppendRange(log, 1, 100, term: 1);
        log.TruncateSuffix(1);
        Assert.Equal(0ul, log.LastIndex);
        Assert.Single(LogFiles.Segments(dir.Path));
        log.Append(5, 1, EntryType.Normal, Payloads.For(1, 64));
        AssertEntry(log, 1, 5);
    }

    [Fact]
    public void CompactPrefix_deletes_whole_segments_and_keeps_the_term_of_the_compaction_point()
    {
        using var dir = new TempDirectory();
        using (var log = SegmentedLog.Open(dir.Path, Payloads.SmallOptions))
        {
            AppendRange(log, 1, 100, term: 1);
            AppendRange(log, 101, 300, term: 2);
            log.Sync();
            var before = LogFiles.Segments(dir.Path).Length;

            log.CompactPrefix(150);
            Assert.Equal(151ul, log.FirstIndex);
            Assert.Equal(2ul, log.Term(150));
            Assert.Throws<ArgumentOutOfRangeException>(() => log.Term(149));
            Assert.Throws<ArgumentOutOfRangeException>(() => log.Read(150));
            log.WaitForDeletions();
            var segments = LogFiles.Segments(dir.Path);
            Assert.True(segments.Length < before);
            Assert.True(LogFiles.FirstIndexOf(segments[0]) <= 151);

            log.CompactPrefix(120); // behind the compaction point: nothing to do
            Assert.Equal(151ul, log.FirstIndex);
            Assert.Throws<InvalidOperationException>(() => log.TruncateSuffix(150));
            Assert.Throws<InvalidOperationException>(() => log.CompactPrefix(301));
        }
        using var reopened = SegmentedLog.Open(dir.Path, Payloads.SmallOptions);
        Assert.Equal(151ul, reopened.FirstIndex);
        Assert.Equal(300ul, reopened.LastIndex);
        Assert.Equal(2ul, reopened.Term(150));
        AssertEntry(reopened, 151, 2);
    }

    [Fact]
    public void Segments_compacted_away_hand_their_offset_blocks_to_the_segments_that_follow()
    {
        using var dir = new TempDirectory();
        using var log = SegmentedLog.Open(dir.Path, Payloads.SmallOptions);
        AppendRange(log, 1, 300, term: 1);
        var segments = log.SegmentCount;
        Assert.True(segments >= 3);
        Assert.Equal(0, log.PooledOffsetBlocks);

        log.CompactPrefix(250);
        var pooled = log.PooledOffsetBlocks;
        Assert.Equal(segments - log.SegmentCount, pooled); // one block a small segment

        AppendRange(log, 301, 600, term: 1);
        Assert.True(log.PooledOffsetBlocks < pooled);
        for (ulong i = 251; i <= 600; i++)
        {
            AssertEntry(log, i, 1);
        }
    }

    [Fact]
    public void Records_handed_to_writeback_without_fsyncs_read_back_and_survive_reopening()
    {
        using var dir = new TempDirectory();
        // Writeback is started every 8 KiB written out, across two segment rolls, with no Sync at all.
        var options = Payloads.SmallOptions with { SegmentBytes = 48 << 10, WritebackBytes = 8 << 10 };
        using (var log = SegmentedLog.Open(dir.Path, options))
        {
            for (ulong i = 1; i <= 1_200; i += 100)
            {
                AppendRange(log, i, i + 99);
                log.Flush();
            }
            Assert.True(log.SegmentCount >= 2);
            AssertEntry(log, 600, 1);
        }
        using var reopened = SegmentedLog.Open(dir.Path, options);
        Assert.Equal(1_200ul, reopened.LastIndex);
        for (ulong i = 1; i <= 1_200; i += 37)
        {
            AssertEntry(reopened, i, 1);
        }
    }

    [Fact]
    public void Compacting_everything_leaves_one_fresh_segment_and_the_log_continues()
    {
        using var dir = new TempDirectory();
        using (var log = SegmentedLog.Open(dir.Path, Payloads.SmallOptions))
        {
            AppendRange(log, 1, 100, term: 4);
            log.CompactPrefix(100);
            Assert.Equal(101ul, log.FirstIndex);
            Assert.Equal(100ul, log.LastIndex);
            Assert.Equal(4ul, log.LastTerm);
            log.WaitForDeletions();
            Assert.Equal([LogFiles.Segments(dir.Path).Single()], [Path.Combine(dir.Path, "00000000000000000101.seg")]);
            AppendRange(log, 101, 102, term: 4);
            log.Sync();
        }
        using var reopened = SegmentedLog.Open(dir.Path, Payloads.SmallOptions);
        Assert.Equal(101ul, reopened.FirstIndex);
        Assert.Equal(102ul, reopened.LastIndex);
        Assert.Equal(4ul, reopened.Term(100));
    }

    [Fact]
    public void ResetTo_discards_the_log_and_restarts_after_the_given_point()
    {
        using var dir = new TempDirectory();
        using (var log = SegmentedLog.Open(dir.Path, Payloads.SmallOptions))
        {
            AppendRange(log, 1, 200, term: 1);
            log.ResetTo(500, 7);
            Assert.Equal(501ul, log.FirstIndex);
            Assert.Equal(500ul, log.LastIndex);
            Assert.Equal(7ul, log.LastTerm);
            Assert.Equal(7ul, log.Term(500));
            Assert.Single(LogFiles.Segments(dir.Path));
            AppendRange(log, 501, 510, term: 8);
            log.Sync();
        }
        using var reopened = SegmentedLog.Open(dir.Path, Payloads.SmallOptions);
        Assert.Equal(501ul, reopened.FirstIndex);
        Assert.Equal(510ul, reopened.LastIndex);
        Assert.Equal(7ul, reopened.Term(500));
        AssertEntry(reopened, 505, 8);
    }

    [Fact]
    public void Leftover_segments_behind_the_compaction_point_are_removed_on_open()
    {
        using var dir = new TempDirectory();
        string[] before;
        using (var log = SegmentedLog.Open(dir.Path, Payloads.SmallOptions))
        {
            AppendRange(log, 1, 300);
            log.Sync();
            before = LogFiles.Segments(dir.Path);
            // Stash copies of the segments, compact, then put the deleted ones back: a crash between
            // saving the compaction point and deleting files leaves exactly this.
            foreach (var s in before)
            {
                File.Copy(s, s + ".keep");
            }
            log.CompactPrefix(200);
        }
        foreach (var s in before.Where(s => !File.Exists(s)))
        {
            File.Move(s + ".keep", s);
        }
        using var reopened = SegmentedLog.Open(dir.Path, Payloads.SmallOptions);
        Assert.NotEmpty(reopened.Recovery.RemovedFiles);
        Assert.Equal(201ul, reopened.FirstIndex);
        Assert.Equal(300ul, reopened.LastIndex);
        AssertEntry(reopened, 201, 1);
    }

    [Fact]
    public void A_missing_segment_in_the_middle_refuses_to_open()
    {
        using var dir = new TempDirectory();
        using (var log = SegmentedLog.Open(dir.Path, Payloads.SmallOptions))
        {
            AppendRange(log, 1, 300);
            log.Sync();
        }
        File.Delete(LogFiles.Segments(dir.Path)[1]);
        var error = Assert.Throws<StorageCorruptedException>(() => SegmentedLog.Open(dir.Path, Payloads.SmallOptions));
        Assert.Contains("previous segment ends at", error.Message);
    }

    [Fact]
    public void Entries_larger_than_the_write_buffer_and_the_segment_round_trip()
    {
        using var dir = new TempDirectory();
        using (var log = SegmentedLog.Open(dir.Path, Payloads.SmallOptions))
        {
            log.Append(1, 1, EntryType.Normal, Payloads.For(1, 64));
            log.Append(1, 2, EntryType.Normal, Payloads.For(2, 20_000));
            log.Append(1, 3, EntryType.Normal, Payloads.For(3, 0));
            log.Sync();
            AssertEntry(log, 2, 1, 20_000);
        }
        using var reopened = SegmentedLog.Open(dir.Path, Payloads.SmallOptions);
        AssertEntry(reopened, 1, 1);
        AssertEntry(reopened, 2, 1, 20_000);
        AssertEntry(reopened, 3, 1, 0);
    }
}
