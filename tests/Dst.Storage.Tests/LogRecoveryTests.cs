using Dst.Raft;

namespace Dst.Storage.Tests;

/// <summary>What a crash or a bad disk can leave in the log files, and how opening answers each.</summary>
public class LogRecoveryTests
{
    private static readonly SegmentedLogOptions Options = Payloads.SmallOptions;

    private static void WriteLog(string directory, ulong count, int size = 40)
    {
        using var log = SegmentedLog.Open(directory, Options);
        for (ulong i = 1; i <= count; i++)
        {
            log.Append(1, i, EntryType.Normal, Payloads.For(i, size));
        }
        log.Sync();
    }

    private static void AssertHolds(SegmentedLog log, ulong lastIndex, int size = 40)
    {
        Assert.Equal(lastIndex, log.LastIndex);
        var entries = new List<Entry>();
        log.ReadRange(1, lastIndex + 1, long.MaxValue, entries);
        Assert.Equal(lastIndex, (ulong)entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.Equal(Payloads.For((ulong)i + 1, size), entries[i].Data.ToArray());
        }
    }

    [Fact]
    public void A_torn_last_record_at_every_byte_offset_is_truncated_and_the_log_reopens_cleanly()
    {
        using var dir = new TempDirectory();
        WriteLog(dir.Path, 10);
        var segment = LogFiles.LastSegment(dir.Path);
        var original = File.ReadAllBytes(segment);
        var (lastOffset, lastSize) = LogFiles.Records(segment)[^1];
        Assert.Equal(original.Length, lastOffset + lastSize);

        for (var cut = lastOffset + 1; cut < original.Length; cut++)
        {
            File.WriteAllBytes(segment, original.AsSpan(0, (int)cut).ToArray());
            using (var log = SegmentedLog.Open(dir.Path, Options))
            {
                Assert.Equal(cut - lastOffset, log.Recovery.DroppedBytes);
                Assert.Equal(10ul, log.Recovery.FirstDroppedIndex);
                Assert.NotNull(log.Recovery.DropReason);
                AssertHolds(log, 9);
                Assert.Equal(9ul, log.DurableIndex);
            }
            Assert.Equal(lastOffset, new FileInfo(segment).Length);
            using (var again = SegmentedLog.Open(dir.Path, Options))
            {
                Assert.Equal(0, again.Recovery.DroppedBytes);
                AssertHolds(again, 9);
                again.Append(1, 10, EntryType.Normal, Payloads.For(10, 40));
                again.Sync();
            }
            using var restored = SegmentedLog.Open(dir.Path, Options);
            AssertHolds(restored, 10);
        }
    }

    [Fact]
    public void A_file_cut_exactly_between_records_loses_nothing_else()
    {
        using var dir = new TempDirectory();
        WriteLog(dir.Path, 10);
        var segment = LogFiles.LastSegment(dir.Path);
        LogFiles.Truncate(segment, LogFiles.Records(segment)[^1].Offset);
        using var log = SegmentedLog.Open(dir.Path, Options);
        Assert.Equal(0, log.Recovery.DroppedBytes);
        AssertHolds(log, 9);
    }

    [Theory]
    [InlineData(0)]   // length field
    [InlineData(4)]   // stored CRC
    [InlineData(10)]  // term
    [InlineData(17)]  // index
    [InlineData(24)]  // type
    [InlineData(30)]  // payload
    public void A_flipped_bit_in_the_last_record_truncates_it(int byteInRecord)
    {
        using var dir = new TempDirectory();
        WriteLog(dir.Path, 10);
        var segment = LogFiles.LastSegment(dir.Path);
        var (lastOffset, lastSize) = LogFiles.Records(segment)[^1];
        LogFiles.FlipBit(segment, lastOffset + byteInRecord, bit: 3);
        using var log = SegmentedLog.Open(dir.Path, Options);
        Assert.Equal(lastSize, log.Recovery.DroppedBytes);
        AssertHolds(log, 9);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(30)]
    public void A_flipped_bit_in_the_middle_of_the_last_segment_refuses_to_open(int byteInRecord)
    {
        using var dir = new TempDirectory();
        WriteLog(dir.Path, 10);
        var segment = LogFiles.LastSegment(dir.Path);
        LogFiles.FlipBit(segment, LogFiles.Records(segment)[4].Offset + byteInRecord, bit: 1);
        var error = Assert.Throws<StorageCorruptedException>(() => SegmentedLog.Open(dir.Path, Options));
        Assert.Contains("corrupt in the middle", error.Message);
        Assert.Equal(segment, error.Path);
        Assert.Equal(File.ReadAllBytes(segment).Length, new FileInfo(segment).Length); // nothing was cut
    }

    [Fact]
    public void Corruption_in_a_sealed_segment_refuses_to_open_even_at_its_end()
    {
        using var dir = new TempDirectory();
        WriteLog(dir.Path, 300);
        var sealedSegment = LogFiles.Segments(dir.Path)[0];
        LogFiles.FlipBit(sealedSegment, LogFiles.Records(sealedSegment)[^1].Offset + 30);
        var error = Assert.Throws<StorageCorruptedException>(() => SegmentedLog.Open(dir.Path, Options));
        Assert.Contains("sealed segment", error.Message);
    }

    [Fact]
    public void Zeros_after_the_last_record_are_cut_as_preallocated_space_and_garbage_is_dropped()
    {
        using var dir = new TempDirectory();
        WriteLog(dir.Path, 10);
        var segment = LogFiles.LastSegment(dir.Path);
        var recordsEnd = new FileInfo(segment).Length;
        LogFiles.AppendBytes(segment, new byte[4096]);
        using (var log = SegmentedLog.Open(dir.Path, Options))
        {
            Assert.Equal(0, log.Recovery.DroppedBytes);
            Assert.Null(log.Recovery.DropReason);
            AssertHolds(log, 10);
        }
        Assert.Equal(recordsEnd, new FileInfo(segment).Length);
        var garbage = new byte[333];
        new Random(5).NextBytes(garbage);
        LogFiles.AppendBytes(segment, garbage);
        using var again = SegmentedLog.Open(dir.Path, Options);
        Assert.Equal(333, again.Recovery.DroppedBytes);
        AssertHolds(again, 10);
    }

    [Fact]
    public void A_valid_record_with_the_wrong_index_refuses_to_open()
    {
        using var dir = new TempDirectory();
        WriteLog(dir.Path, 10);
        var segment = LogFiles.LastSegment(dir.Path);
        var records = LogFiles.Records(segment);
        var bytes = File.ReadAllBytes(segment);
        var (offset, size) = records[2];
        LogFiles.AppendBytes(segment, bytes.AsSpan((int)offset, size).ToArray()); // a well-formed copy of record 3
        var error = Assert.Throws<StorageCorruptedException>(() => SegmentedLog.Open(dir.Path, Options));
        Assert.Contains("expected 11", error.Message);
    }

    [Fact]
    public void An_empty_last_segment_left_by_a_crash_after_rolling_is_reused()
    {
        using var dir = new TempDirectory();
        WriteLog(dir.Path, 300);
        var last = LogFiles.LastSegment(dir.Path);
        var firstOfLast = LogFiles.FirstIndexOf(last);
        LogFiles.Truncate(last, 0);
        using var log = SegmentedLog.Open(dir.Path, Options);
        Assert.Equal(firstOfLast - 1, log.LastIndex);
        log.Append(1, firstOfLast, EntryType.Normal, Payloads.For(firstOfLast, 40));
        log.Sync();
        Assert.Equal(last, LogFiles.LastSegment(dir.Path));
    }
}
