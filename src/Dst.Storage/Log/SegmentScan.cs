namespace Dst.Storage;

/// <summary>
/// Recovery's walk over one segment file: validates each record (length in range, complete, CRC,
/// index continuing the log, term not going back) and records its offset. The walk stops at the
/// first record that is incomplete or fails its CRC; whether that is a torn tail or corruption is
/// the caller's call (see <see cref="FindValidRecordAfter"/>). A record that passes its CRC but
/// breaks index or term order is never a torn write, so it throws at once.
/// </summary>
internal sealed class SegmentScan
{
    private SegmentScan(RecordOffsets offsets, long validLength, long damagedAt, string? damage)
    {
        Offsets = offsets;
        ValidLength = validLength;
        DamagedAt = damagedAt;
        Damage = damage;
    }

    public RecordOffsets Offsets { get; }

    /// <summary>Bytes of valid records from the start of the file.</summary>
    public long ValidLength { get; }

    /// <summary>Offset of the first damaged record, or -1 if the whole file is valid.</summary>
    public long DamagedAt { get; }

    /// <summary>Why the record at <see cref="DamagedAt"/> was rejected.</summary>
    public string? Damage { get; }

    /// <summary>Walks <paramref name="window"/>; feeds each record's term to <paramref name="terms"/>.</summary>
    public static SegmentScan Run(string path, FileWindow window, ulong firstIndex, ref ulong lastTerm, TermRuns terms, OffsetBlockPool offsetBlocks)
    {
        var offsets = new RecordOffsets(offsetBlocks);
        long offset = 0;
        var index = firstIndex;
        string? damage = null;
        while (offset < window.Length)
        {
            damage = Inspect(window, offset, out var size);
            if (damage is not null)
            {
                break;
            }
            var header = window.Get(offset, LogRecord.HeaderSize);
            var recordIndex = LogRecord.Index(header);
            var term = LogRecord.Term(header);
            if (recordIndex != index)
            {
                throw new StorageCorruptedException(path, $"record at offset {offset} holds index {recordIndex}, expected {index}");
            }
            if (term < lastTerm)
            {
                throw new StorageCorruptedException(path, $"record {index} at offset {offset} has term {term}, lower than the previous term {lastTerm}");
            }
            if (offset > int.MaxValue)
            {
                throw new StorageCorruptedException(path, $"segment is larger than {int.MaxValue} bytes");
            }
            offsets.Add((int)offset);
            terms.Append(index, term);
            lastTerm = term;
            offset += size;
            index++;
        }
        return new SegmentScan(offsets, offset, damage is null ? -1 : offset, damage);
    }

    /// <summary>
    /// Looks for any valid record starting after <paramref name="damagedAt"/> whose index could
    /// belong to this log (at least <paramref name="nextIndex"/>). Finding one means the damage is
    /// not a torn tail: something after it was written completely.
    /// </summary>
    public static long FindValidRecordAfter(FileWindow window, long damagedAt, ulong nextIndex)
    {
        var highestPlausible = nextIndex + (ulong)((window.Length - damagedAt) / LogRecord.HeaderSize);
        for (var offset = damagedAt + 1; offset + LogRecord.HeaderSize <= window.Length; offset++)
        {
            var index = LogRecord.Index(window.Get(offset, LogRecord.HeaderSize));
            if (index >= nextIndex && index <= highestPlausible && Inspect(window, offset, out _) is null)
            {
                return offset;
            }
        }
        return -1;
    }

    /// <summary>
    /// True when every byte from <paramref name="offset"/> to the end is zero: the unused part of a
    /// preallocated segment (<see cref="SegmentedLogOptions.PreallocateBytes"/>), not a damaged record.
    /// </summary>
    public static bool IsZeroFrom(FileWindow window, long offset)
    {
        const int Step = 1 << 20;
        for (; offset < window.Length; offset += Step)
        {
            if (window.Get(offset, (int)Math.Min(Step, window.Length - offset)).ContainsAnyExcept((byte)0))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Null if a complete, checksum-valid record starts at <paramref name="offset"/>; otherwise why not.</summary>
    private static string? Inspect(FileWindow window, long offset, out int size)
    {
        size = 0;
        var header = window.Get(offset, LogRecord.HeaderSize);
        if (header.Length < LogRecord.HeaderSize)
        {
            return $"partial record header ({header.Length} of {LogRecord.HeaderSize} bytes)";
        }
        var payload = LogRecord.PayloadLength(header);
        if (payload < 0)
        {
            return "record length out of range";
        }
        size = LogRecord.SizeOf(payload);
        if (offset + size > window.Length)
        {
            return $"partial record ({window.Length - offset} of {size} bytes)";
        }
        return LogRecord.IsValid(window.Get(offset, size)) ? null : "record checksum mismatch";
    }
}
