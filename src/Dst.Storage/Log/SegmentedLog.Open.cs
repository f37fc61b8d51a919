namespace Dst.Storage;

public sealed partial class SegmentedLog
{
    /// <summary>
    /// Opens (creating if needed) the log in <paramref name="directory"/> and recovers it:
    /// <list type="number">
    /// <item>segments wholly behind the saved compaction point (leftovers of an interrupted
    /// compaction) are deleted unread;</item>
    /// <item>every other record is checked: CRC, index continuing from the previous one, term not
    /// going back, segments following each other without gaps;</item>
    /// <item>zeros after the last record of the last segment (preallocated, never written over) are
    /// cut silently; a damaged record at its end (a write torn by a crash, or garbage after it) is
    /// truncated and reported in <see cref="Recovery"/>;</item>
    /// <item>a damaged record followed by any valid record, or in any segment but the last (segments
    /// are fsynced before the next is started), throws <see cref="StorageCorruptedException"/>.</item>
    /// </list>
    /// Everything recovered is fsynced, so <see cref="DurableIndex"/> starts at <see cref="LastIndex"/>.
    /// </summary>
    public static SegmentedLog Open(string directory, SegmentedLogOptions options)
    {
        options.Validate();
        directory = Path.GetFullPath(directory);
        Durable.CreateDirectory(directory);
        var compaction = CompactionPoint.Open(directory);
        var segments = new List<Segment>();
        try
        {
            var terms = new TermRuns();
            var offsetBlocks = new OffsetBlockPool();
            var report = Recover(directory, compaction, segments, terms, offsetBlocks);
            return new SegmentedLog(directory, options, segments, terms, offsetBlocks, compaction, report);
        }
        catch
        {
            foreach (var segment in segments)
            {
                segment.Dispose();
            }
            compaction.Dispose();
            throw;
        }
    }

    private static LogRecoveryReport Recover(string directory, CompactionPoint compaction, List<Segment> segments, TermRuns terms,
        OffsetBlockPool offsetBlocks)
    {
        var removed = new List<string>();
        var files = ListSegmentFiles(directory);

        // A segment is wholly compacted when the next one starts at or before the first held index.
        while (files.Count > 1 && files[1].FirstIndex <= compaction.Index + 1)
        {
            File.Delete(files[0].Path);
            removed.Add(files[0].Path);
            files.RemoveAt(0);
        }

        var expected = files.Count > 0 ? files[0].FirstIndex : compaction.Index + 1;
        if (expected == 0 || expected > compaction.Index + 1)
        {
            throw new StorageCorruptedException(files[0].Path,
                $"the log starts at index {expected} but entries are only compacted through {compaction.Index}: entries are missing");
        }
        var lastTerm = 0UL;
        var tail = (Dropped: 0L, Index: (ulong?)null, Reason: (string?)null);
        for (var i = 0; i < files.Count; i++)
        {
            var (path, firstIndex) = files[i];
            if (firstIndex != expected)
            {
                throw new StorageCorruptedException(path, $"segment starts at index {firstIndex}, but the previous segment ends at {expected - 1}");
            }
            var isLast = i == files.Count - 1;
            var segment = RecoverSegment(path, firstIndex, isLast, terms, offsetBlocks, ref lastTerm, ref tail);
            segments.Add(segment);
            if (!isLast && segment.Count == 0)
            {
                throw new StorageCorruptedException(path, "an empty segment is followed by another segment");
            }
            expected = segment.LastIndex + 1;
        }

        // Everything held is at or behind the compaction point (a reset interrupted after saving it).
        if (segments.Count > 0 && segments[^1].LastIndex < compaction.Index)
        {
            foreach (var segment in segments)
            {
                segment.Dispose();
                File.Delete(segment.FilePath);
                removed.Add(segment.FilePath);
            }
            segments.Clear();
            terms.Clear();
        }
        if (segments.Count == 0)
        {
            segments.Add(Segment.Create(directory, compaction.Index + 1, offsetBlocks));
        }
        Durable.FlushDirectory(directory);
        Durable.FlushFile(segments[^1].Handle);
        terms.RemoveBefore(compaction.Index + 1);

        var last = segments[^1].LastIndex;
        return new LogRecoveryReport
        {
            Segments = segments.Count,
            Entries = last - compaction.Index,
            DroppedBytes = tail.Dropped,
            FirstDroppedIndex = tail.Index,
            DropReason = tail.Reason,
            RemovedFiles = removed,
        };
    }

    private static Segment RecoverSegment(string path, ulong firstIndex, bool isLast, TermRuns terms, OffsetBlockPool offsetBlocks, ref ulong lastTerm,
        ref (long Dropped, ulong? Index, string? Reason) tail)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var length = RandomAccess.GetLength(handle);
            using var window = new FileWindow(handle, length);
            var scan = SegmentScan.Run(path, window, firstIndex, ref lastTerm, terms, offsetBlocks);
            if (scan.DamagedAt >= 0 && isLast && SegmentScan.IsZeroFrom(window, scan.DamagedAt))
            {
                // Zeros laid ahead of the records and never written over: the segment ends cleanly here.
                RandomAccess.SetLength(handle, scan.ValidLength);
            }
            else if (scan.DamagedAt >= 0)
            {
                var nextIndex = firstIndex + (ulong)scan.Offsets.Count;
                if (!isLast)
                {
                    throw new StorageCorruptedException(path,
                        $"{scan.Damage} at offset {scan.DamagedAt} (index {nextIndex}) in a sealed segment: refusing to start");
                }
                var valid = SegmentScan.FindValidRecordAfter(window, scan.DamagedAt, nextIndex);
                if (valid >= 0)
                {
                    throw new StorageCorruptedException(path,
                        $"{scan.Damage} at offset {scan.DamagedAt} (index {nextIndex}) is followed by a valid record at offset {valid}: " +
                        "the log is corrupt in the middle, refusing to start");
                }
                RandomAccess.SetLength(handle, scan.ValidLength);
                tail = (length - scan.ValidLength, nextIndex, $"{scan.Damage} at offset {scan.DamagedAt} of {Path.GetFileName(path)}");
            }
            return Segment.FromRecovered(path, firstIndex, handle, scan.Offsets, scan.ValidLength);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static List<(string Path, ulong FirstIndex)> ListSegmentFiles(string directory)
    {
        var files = new List<(string Path, ulong FirstIndex)>();
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            if (Segment.ParseFileName(Path.GetFileName(path)) is { } firstIndex)
            {
                files.Add((path, firstIndex));
            }
        }
        files.Sort((a, b) => a.FirstIndex.CompareTo(b.FirstIndex));
        return files;
    }
}
