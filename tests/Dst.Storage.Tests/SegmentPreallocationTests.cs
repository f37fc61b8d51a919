using Dst.Raft;

namespace Dst.Storage.Tests;

/// <summary>Zeros laid ahead of the active segment's records (<see cref="SegmentedLogOptions.PreallocateBytes"/>).</summary>
public class SegmentPreallocationTests
{
    private static readonly SegmentedLogOptions Options = Payloads.PreallocatingOptions;

    private static void Append(SegmentedLog log, ulong from, ulong to, ulong term = 1)
    {
        for (var i = from; i <= to; i++)
        {
            log.Append(term, i, EntryType.Normal, Payloads.For(i, 40));
        }
    }

    /// <summary>Writes entries 1..<paramref name="count"/>, syncs them and closes the log.</summary>
    private static void WriteSynced(string directory, ulong count)
    {
        using var log = SegmentedLog.Open(directory, Options);
        Append(log, 1, count);
        log.Sync();
    }

    private static void AssertHolds(SegmentedLog log, ulong first, ulong last)
    {
        Assert.Equal(last, log.LastIndex);
        for (var i = first; i <= last; i++)
        {
            Assert.Equal(Payloads.For(i, 40), log.Read(i).Data.ToArray());
        }
    }

    private static long RecordsEnd(string segment) => LogFiles.Records(segment) is { Count: > 0 } records ? records[^1].Offset + records[^1].Size : 0;

    [Fact]
    public void Zeros_follow_the_records_and_recovery_reads_them_as_the_clean_end_of_the_log()
    {
        using var dir = new TempDirectory();
        WriteSynced(dir.Path, 10);
        var segment = LogFiles.LastSegment(dir.Path);
        var bytes = File.ReadAllBytes(segment);
        var recordsEnd = RecordsEnd(segment);
        Assert.Equal(10, LogFiles.Records(segment).Count);
        Assert.InRange(bytes.Length, recordsEnd + Options.PreallocateBytes / 2, Options.SegmentBytes);
        Assert.False(bytes.AsSpan((int)recordsEnd).ContainsAnyExcept((byte)0));

        using (var log = SegmentedLog.Open(dir.Path, Options))
        {
            Assert.Equal(0, log.Recovery.DroppedBytes);
            AssertHolds(log, 1, 10);
            Assert.Equal(recordsEnd, new FileInfo(segment).Length);
            Append(log, 11, 20);
            log.Sync();
        }
        using var reopened = SegmentedLog.Open(dir.Path, Options);
        Assert.Equal(0, reopened.Recovery.DroppedBytes);
        AssertHolds(reopened, 1, 20);
    }

    [Fact]
    public void Records_handed_over_without_an_fsync_lay_no_zeros_until_a_sync()
    {
        using var dir = new TempDirectory();
        using var log = SegmentedLog.Open(dir.Path, Options);
        Append(log, 1, 10);
        log.Flush();
        var segment = LogFiles.LastSegment(dir.Path);
        Assert.Equal(RecordsEnd(segment), new FileInfo(segment).Length);

        Append(log, 11, 12);
        log.Sync();
        Assert.InRange(new FileInfo(segment).Length, RecordsEnd(segment) + Options.PreallocateBytes / 2, Options.SegmentBytes);
    }

    [Fact]
    public void Sealed_segments_end_at_their_last_record()
    {
        using var dir = new TempDirectory();
        WriteSynced(dir.Path, 300);
        var segments = LogFiles.Segments(dir.Path);
        Assert.True(segments.Length > 2);
        foreach (var sealedSegment in segments[..^1])
        {
            Assert.Equal(RecordsEnd(sealedSegment), new FileInfo(sealedSegment).Length);
        }
        Assert.True(new FileInfo(segments[^1]).Length > RecordsEnd(segments[^1]));
    }

    [Fact]
    public void A_record_torn_inside_the_zeros_is_dropped_with_them()
    {
        using var dir = new TempDirectory();
        WriteSynced(dir.Path, 10);
        var segment = LogFiles.LastSegment(dir.Path);
        var records = LogFiles.Records(segment);
        var recordsEnd = RecordsEnd(segment);
        var length = new FileInfo(segment).Length;
        // The first 30 bytes of a record 11 reach the disk, the rest of it does not.
        var torn = File.ReadAllBytes(segment).AsSpan((int)records[^1].Offset, 30).ToArray();
        torn[16] = 11;
        using (var file = new FileStream(segment, FileMode.Open, FileAccess.Write))
        {
            file.Position = recordsEnd;
            file.Write(torn);
        }
        using var reopened = SegmentedLog.Open(dir.Path, Options);
        Assert.Equal(length - recordsEnd, reopened.Recovery.DroppedBytes);
        Assert.Equal(11ul, reopened.Recovery.FirstDroppedIndex);
        AssertHolds(reopened, 1, 10);
        Assert.Equal(recordsEnd, new FileInfo(segment).Length);
    }

    [Fact]
    public void A_truncated_suffix_is_written_over_and_the_log_reopens_with_the_new_entries()
    {
        using var dir = new TempDirectory();
        using (var log = SegmentedLog.Open(dir.Path, Options))
        {
            Append(log, 1, 30);
            log.Sync();
            log.TruncateSuffix(21);
            Append(log, 21, 40, term: 2);
            log.Sync();
        }
        using var reopened = SegmentedLog.Open(dir.Path, Options);
        Assert.Equal(0, reopened.Recovery.DroppedBytes);
        AssertHolds(reopened, 1, 40);
        Assert.Equal(2ul, reopened.Term(21));
        Assert.Equal(1ul, reopened.Term(20));
    }
}
