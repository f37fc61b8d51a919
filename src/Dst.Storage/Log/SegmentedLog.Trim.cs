namespace Dst.Storage;

public sealed partial class SegmentedLog
{
    /// <summary>
    /// Removes the entries from <paramref name="fromIndex"/> on (a follower's log conflicting with
    /// its leader's), durably: when this returns the removed entries cannot come back after a crash.
    /// Segments wholly after the cut are deleted newest first, so a crash part-way leaves a prefix.
    /// </summary>
    public void TruncateSuffix(ulong fromIndex)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (fromIndex > LastIndex)
        {
            return;
        }
        if (fromIndex < FirstIndex)
        {
            throw new InvalidOperationException(
                $"cannot truncate from index {fromIndex}: entries before {FirstIndex} are compacted (use ResetTo to discard the whole log)");
        }
        WriteOutBuffer();
        var deleted = false;
        while (_segments.Count > 1 && Active.FirstIndex > fromIndex)
        {
            DeleteSegment(_segments.Count - 1);
            deleted = true;
        }
        if (deleted)
        {
            Durable.FlushDirectory(_directory);
        }
        var cut = Active.OffsetOf(fromIndex);
        Active.RemoveFrom(fromIndex);
        RandomAccess.SetLength(Active.Handle, cut);
        Durable.FlushFile(Active.Handle);
        WriteFrom(cut);

        _cache.RemoveFrom(fromIndex);
        _terms.RemoveFrom(fromIndex);
        LastIndex = fromIndex - 1;
        LastTerm = Term(LastIndex);
        DurableIndex = LastIndex;
    }

    /// <summary>
    /// Discards the entries up to and including <paramref name="throughIndex"/> once a snapshot covers
    /// them. The compaction point (index and term) is saved durably first, then segment files that
    /// hold only discarded entries are deleted, off this thread: unlinking a 64 MiB segment frees its
    /// page cache, which took 30-40 ms (a file left behind by a crash is deleted by <see cref="Open"/>).
    /// <c>Term(throughIndex)</c> keeps answering.
    /// Compacting at or before the current compaction point does nothing.
    /// </summary>
    public void CompactPrefix(ulong throughIndex)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (throughIndex < FirstIndex)
        {
            return;
        }
        if (throughIndex > LastIndex)
        {
            throw new InvalidOperationException(
                $"cannot compact through index {throughIndex}: the last index is {LastIndex} (use ResetTo to start after a snapshot)");
        }
        _compaction.Save(throughIndex, Term(throughIndex));
        if (Active.Count > 0 && Active.LastIndex <= throughIndex)
        {
            Roll(); // the active segment holds only discarded entries: start afresh so it can go too
        }
        var compacted = new List<string>();
        while (_segments.Count > 1 && _segments[1].FirstIndex <= throughIndex + 1)
        {
            compacted.Add(CloseSegment(0)); // the file keeps its name, so closing it frees nothing yet
        }
        if (compacted.Count > 0)
        {
            DeleteInBackground(compacted);
        }
        _cache.RemoveThrough(throughIndex);
        _terms.RemoveBefore(throughIndex + 1);
        DurableIndex = Math.Max(DurableIndex, throughIndex);
    }

    /// <summary>
    /// Discards the whole log and makes it start after (<paramref name="index"/>, <paramref name="term"/>):
    /// what a follower does when it installs a snapshot from its leader. Segments are deleted (newest
    /// first) before the new compaction point is saved, so a crash part-way leaves a prefix of the
    /// old log, never old entries after the new point.
    /// </summary>
    public void ResetTo(ulong index, ulong term)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (index < _compaction.Index)
        {
            throw new InvalidOperationException($"cannot reset to index {index}: the log is already compacted through {_compaction.Index}");
        }
        _buffered = 0;
        while (_segments.Count > 0)
        {
            DeleteSegment(_segments.Count - 1);
        }
        Durable.FlushDirectory(_directory);
        _compaction.Save(index, term);
        _segments.Add(Segment.Create(_directory, index + 1, _offsetBlocks));
        Durable.FlushDirectory(_directory);
        WriteFrom(0);

        _cache.Clear();
        _terms.Clear();
        LastIndex = index;
        LastTerm = term;
        DurableIndex = index;
    }

    /// <summary>
    /// Deletes compacted segment files on the thread pool, one batch after another; <see cref="Dispose"/>
    /// waits for them. Their deletion need not be durable: <see cref="Open"/> deletes any that come back.
    /// </summary>
    private void DeleteInBackground(List<string> paths) =>
        _deletions = _deletions.ContinueWith(static (_, state) =>
        {
            foreach (var path in (List<string>)state!)
            {
                try
                {
                    File.Delete(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Left for Open, which deletes segments behind the compaction point.
                }
            }
        }, paths, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    /// <summary>Waits until the compacted segment files handed to the background are gone (for tests).</summary>
    internal void WaitForDeletions() => _deletions.Wait();

    /// <summary>Record-offset blocks of closed segments held for the next ones (for tests).</summary>
    internal int PooledOffsetBlocks => _offsetBlocks.Count;

    private void DeleteSegment(int position) => File.Delete(CloseSegment(position));

    /// <summary>Takes the segment out of the log and closes it; returns its file's path.</summary>
    private string CloseSegment(int position)
    {
        var segment = _segments[position];
        _segments.RemoveAt(position);
        segment.Dispose();
        return segment.FilePath;
    }
}
