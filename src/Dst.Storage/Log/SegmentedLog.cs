using System.Buffers;
using Dst.Raft;

namespace Dst.Storage;

/// <summary>
/// The durable Raft log: entries in segment files named <c>&lt;first index, 20 digits&gt;.seg</c>
/// under one directory, each record checksummed (see <see cref="LogRecord"/>).
/// <para>
/// Appends gather in a write buffer and are not durable until <see cref="Sync"/>, which writes out
/// and fsyncs everything appended so far: one fsync covers any number of appends (group commit).
/// <see cref="DurableIndex"/> is the last index known to be on stable storage.
/// </para>
/// <para>
/// Recovery (<see cref="Open"/>) checks every record; a torn or damaged tail of the last segment is
/// truncated and described in <see cref="Recovery"/>, damage followed by valid records throws
/// <see cref="StorageCorruptedException"/>.
/// </para>
/// <para>
/// Thread-safety: none. One thread (the Raft host's persistence loop) owns the log and makes every
/// call, reads included. Entries returned by reads stay valid after later calls.
/// </para>
/// </summary>
public sealed partial class SegmentedLog : IDisposable
{
    private readonly string _directory;
    private readonly SegmentedLogOptions _options;
    private readonly List<Segment> _segments;
    private readonly TermRuns _terms;
    private readonly OffsetBlockPool _offsetBlocks;
    private readonly TailCache _cache;
    private readonly CompactionPoint _compaction;
    private byte[] _buffer;
    private int _buffered;
    private long _bufferFileOffset;
    // Where in the active segment the records not yet fsynced nor handed to writeback start.
    private long _writebackFrom;
    // Compacted segment files being deleted off the owner's thread (SegmentedLog.Trim.cs).
    private Task _deletions = Task.CompletedTask;
    private bool _disposed;

    private SegmentedLog(string directory, SegmentedLogOptions options, List<Segment> segments, TermRuns terms,
        OffsetBlockPool offsetBlocks, CompactionPoint compaction, LogRecoveryReport recovery)
    {
        _directory = directory;
        _options = options;
        _segments = segments;
        _terms = terms;
        _offsetBlocks = offsetBlocks;
        _compaction = compaction;
        _cache = new TailCache(options.TailCacheEntries, options.TailCacheBytes);
        _buffer = ArrayPool<byte>.Shared.Rent(options.WriteBufferBytes);
        WriteFrom(Active.Length);
        Recovery = recovery;
        LastIndex = Active.LastIndex;
        LastTerm = LastIndex > compaction.Index ? terms.TermOf(LastIndex) : compaction.Term;
        DurableIndex = LastIndex;
    }

    /// <summary>The first entry held; entries before it were compacted. Equals <see cref="LastIndex"/> + 1 when empty.</summary>
    public ulong FirstIndex => _compaction.Index + 1;

    /// <summary>The last entry appended (the compaction point when the log is empty).</summary>
    public ulong LastIndex { get; private set; }

    public ulong LastTerm { get; private set; }

    /// <summary>The last index covered by an fsync: everything up to it survives a crash.</summary>
    public ulong DurableIndex { get; private set; }

    /// <summary>What opening the log found and repaired.</summary>
    public LogRecoveryReport Recovery { get; }

    /// <summary>The directory holding the segment files.</summary>
    public string DirectoryPath => _directory;

    /// <summary>Number of segment files.</summary>
    public int SegmentCount => _segments.Count;

    private Segment Active => _segments[^1];

    /// <summary>
    /// The term of the entry at <paramref name="index"/>, for index in [FirstIndex - 1, LastIndex]:
    /// FirstIndex - 1 is the compaction point, whose term is remembered.
    /// </summary>
    public ulong Term(ulong index)
    {
        if (index == _compaction.Index)
        {
            return _compaction.Term;
        }
        CheckHeld(index);
        return _terms.TermOf(index);
    }

    /// <summary>Appends one entry. The data is copied; the caller may reuse its buffer at once.</summary>
    public void Append(ulong term, ulong index, EntryType type, ReadOnlySpan<byte> data)
    {
        AppendRecord(term, index, type, data);
        _cache.AddCopy(term, index, type, data);
    }

    /// <summary>
    /// Appends one entry. The tail cache keeps a reference to <see cref="Entry.Data"/> rather than a
    /// copy, so the caller must not mutate that memory afterwards (Raft entries are immutable).
    /// </summary>
    public void Append(in Entry entry)
    {
        AppendRecord(entry.Term, entry.Index, entry.Type, entry.Data.Span);
        _cache.Add(entry);
    }

    /// <summary>Writes out and fsyncs every entry appended so far; afterwards <see cref="DurableIndex"/> = <see cref="LastIndex"/>.</summary>
    public void Sync()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_buffered == 0 && DurableIndex == LastIndex)
        {
            return;
        }
        PrepareAhead(_bufferFileOffset + _buffered);
        WriteOutBuffer();
        Durable.FlushFile(Active.Handle);
        _writebackFrom = _bufferFileOffset;
        DurableIndex = LastIndex;
    }

    /// <summary>
    /// Hands every appended record to the OS without an fsync: after this a crash of the process
    /// loses nothing, a crash of the machine may lose what was not yet synced (appendfsync no/everysec).
    /// </summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        HandOverBuffer();
    }

    private void AppendRecord(ulong term, ulong index, EntryType type, ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (index != LastIndex + 1)
        {
            throw new InvalidOperationException(
                $"cannot append index {index}: the log's last index is {LastIndex}, so the next must be {LastIndex + 1} (truncate first to overwrite)");
        }
        if (term < LastTerm)
        {
            throw new InvalidOperationException($"cannot append index {index} with term {term}: the last entry has the higher term {LastTerm}");
        }
        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "unknown entry type");
        }
        ArgumentOutOfRangeException.ThrowIfGreaterThan(data.Length, LogRecord.MaxPayload, nameof(data));

        if (Active.Length >= _options.SegmentBytes && Active.Count > 0)
        {
            Roll();
        }
        var size = LogRecord.SizeOf(data.Length);
        ReserveBuffer(size);
        LogRecord.Write(_buffer.AsSpan(_buffered, size), term, index, type, data);
        _buffered += size;
        Active.Add(size);
        _terms.Append(index, term);
        LastIndex = index;
        LastTerm = term;
    }

    /// <summary>Seals the full active segment (durably: a sealed segment never has a torn tail) and starts the next.</summary>
    private void Roll()
    {
        WriteOutBuffer();
        CutPreparedZeros();
        Durable.FlushFile(Active.Handle);
        DurableIndex = LastIndex;
        _segments.Add(Segment.Create(_directory, LastIndex + 1, _offsetBlocks));
        Durable.FlushDirectory(_directory);
        WriteFrom(0);
    }

    private void ReserveBuffer(int size)
    {
        if (_buffered + size <= _buffer.Length)
        {
            return;
        }
        HandOverBuffer();
        if (size > _buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(size);
        }
    }

    /// <summary>The active segment's file ends at <paramref name="offset"/> (nothing laid ahead): the next records go there.</summary>
    private void WriteFrom(long offset)
    {
        _bufferFileOffset = offset;
        _preparedEnd = offset;
        _writebackFrom = offset;
    }

    /// <summary>Hands buffered records to the OS (no fsync): after this the file holds every appended record.</summary>
    private void WriteOutBuffer()
    {
        if (_buffered == 0)
        {
            return;
        }
        RandomAccess.Write(Active.Handle, _buffer.AsSpan(0, _buffered), _bufferFileOffset);
        _bufferFileOffset += _buffered;
        _buffered = 0;
    }

    /// <summary>
    /// Writes out buffered records where no fsync follows (a flush, a full buffer), and once
    /// <see cref="SegmentedLogOptions.WritebackBytes"/> are unsynced starts their writeback, so the
    /// fsync that seals the segment or the periodic one finds little left to flush.
    /// </summary>
    private void HandOverBuffer()
    {
        WriteOutBuffer();
        if (_options.WritebackBytes > 0 && _bufferFileOffset - _writebackFrom >= _options.WritebackBytes)
        {
            Durable.StartWriteback(Active.Handle, _writebackFrom, _bufferFileOffset - _writebackFrom);
            _writebackFrom = _bufferFileOffset;
        }
    }

    private void CheckHeld(ulong index)
    {
        if (index < FirstIndex || index > LastIndex)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index,
                $"log index {index} is not held: the log holds [{FirstIndex}, {LastIndex}]");
        }
    }

    /// <summary>Writes out buffered records (not fsynced) and closes the files. Unsynced appends may or may not survive.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            WriteOutBuffer();
        }
        finally
        {
            foreach (var segment in _segments)
            {
                segment.Dispose();
            }
            _compaction.Dispose();
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            // A log opened again on this directory must not find files still being deleted.
            WaitForDeletions();
        }
    }
}
