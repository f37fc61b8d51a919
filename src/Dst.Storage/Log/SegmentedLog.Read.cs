using Dst.Raft;

namespace Dst.Storage;

public sealed partial class SegmentedLog
{
    /// <summary>The entry at <paramref name="index"/> (which must be held): from the tail cache, else one disk read.</summary>
    public Entry Read(ulong index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckHeld(index);
        if (_cache.TryGet(index, out var cached))
        {
            return cached;
        }
        var segment = SegmentFor(index);
        var block = ReadBlock(segment, index, index + 1);
        return Decode(segment, block, 0, index);
    }

    /// <summary>
    /// Adds entries [<paramref name="lo"/>, <paramref name="hi"/>) to <paramref name="into"/>, stopping
    /// before the entry that would take their payload total past <paramref name="maxBytes"/>, but
    /// always adding at least one entry when the range is non-empty (so a huge entry still moves).
    /// Entries not in the tail cache are read with one positional read per segment touched.
    /// </summary>
    public void ReadRange(ulong lo, ulong hi, long maxBytes, List<Entry> into)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (lo > hi || lo < FirstIndex || hi > LastIndex + 1)
        {
            throw new ArgumentOutOfRangeException(nameof(lo),
                $"range [{lo}, {hi}) is not within the log's entries [{FirstIndex}, {LastIndex}]");
        }
        var budget = new ReadBudget(maxBytes);
        var index = lo;
        while (index < hi)
        {
            if (_cache.TryGet(index, out var cached))
            {
                if (!budget.TryTake(cached.Data.Length))
                {
                    return;
                }
                into.Add(cached);
                index++;
                continue;
            }
            var segment = SegmentFor(index);
            var end = Math.Min(hi, segment.LastIndex + 1);
            if (_cache.Count > 0 && _cache.FirstIndex > index)
            {
                end = Math.Min(end, _cache.FirstIndex);
            }
            var stop = index;
            while (stop < end && budget.TryTake(PayloadLength(segment, stop)))
            {
                stop++;
            }
            if (stop > index)
            {
                var block = ReadBlock(segment, index, stop);
                var start = segment.OffsetOf(index);
                for (var i = index; i < stop; i++)
                {
                    into.Add(Decode(segment, block, (int)(segment.OffsetOf(i) - start), i));
                }
            }
            if (stop < end)
            {
                return; // the byte budget is spent
            }
            index = stop;
        }
    }

    private static int PayloadLength(Segment segment, ulong index) =>
        (int)(segment.EndOf(index) - segment.OffsetOf(index)) - LogRecord.HeaderSize;

    private Segment SegmentFor(ulong index)
    {
        int lo = 0, hi = _segments.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) >>> 1;
            if (_segments[mid].FirstIndex <= index)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return _segments[lo];
    }

    /// <summary>The bytes of records [lo, hi) of one segment, in one read (first writing out buffered records it needs).</summary>
    private byte[] ReadBlock(Segment segment, ulong lo, ulong hi)
    {
        var start = segment.OffsetOf(lo);
        var end = segment.EndOf(hi - 1);
        if (ReferenceEquals(segment, Active) && end > _bufferFileOffset)
        {
            WriteOutBuffer();
        }
        var block = GC.AllocateUninitializedArray<byte>(checked((int)(end - start)));
        FileIo.ReadExactly(segment.Handle, block, start, segment.FilePath);
        return block;
    }

    /// <summary>The entry whose record starts at <paramref name="at"/> in <paramref name="block"/>; its data aliases the block.</summary>
    private static Entry Decode(Segment segment, byte[] block, int at, ulong index)
    {
        var size = (int)(segment.EndOf(index) - segment.OffsetOf(index));
        var record = block.AsSpan(at, size);
        if (!LogRecord.IsValid(record) || LogRecord.Index(record) != index)
        {
            throw new StorageCorruptedException(segment.FilePath,
                $"record {index} at offset {segment.OffsetOf(index)} no longer matches its checksum (damaged after it was written)");
        }
        return new Entry(LogRecord.Term(record), index, LogRecord.Type(record),
            block.AsMemory(at + LogRecord.HeaderSize, size - LogRecord.HeaderSize));
    }

    /// <summary>etcd's limit rule: the first entry is always taken, later ones only while the total stays within the limit.</summary>
    private struct ReadBudget(long maxBytes)
    {
        private long _used;
        private bool _tookAny;

        public bool TryTake(int bytes)
        {
            if (_tookAny && _used + bytes > maxBytes)
            {
                return false;
            }
            _used += bytes;
            _tookAny = true;
            return true;
        }
    }
}
