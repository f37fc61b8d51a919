using System.Buffers;

namespace Dst.Protocol;

/// <summary>
/// Finds where one reply ends without allocating, validating every header on the way. Keeps its
/// position and the stack of unfinished aggregates across Incomplete calls, so each byte of a
/// large reply is scanned once however it arrives.
/// </summary>
internal sealed class ReplyScan
{
    private readonly RespReaderLimits _limits;

    /// <summary>For each open aggregate: how many child frames are still to come, and whether it is an attribute.</summary>
    private readonly (long Remaining, bool IsAttribute)[] _open;
    private int _depth;

    /// <summary>Bytes of the pending reply already scanned (complete frames and headers).</summary>
    private long _scanned;

    public ReplyScan(RespReaderLimits limits)
    {
        _limits = limits;
        _open = new (long, bool)[limits.MaxDepth];
    }

    public void Reset()
    {
        _depth = 0;
        _scanned = 0;
    }

    /// <summary>
    /// Advances the reader to the end of the reply starting at its position. On Incomplete the
    /// reader's final position is meaningless (the caller rewinds) and progress is kept for the next call.
    /// </summary>
    public ParseStatus TryFindEnd(ref SequenceReader<byte> reader, out string? error)
    {
        var start = reader.Consumed;
        if (_scanned > reader.Remaining)
        {
            // The caller did not present the same bytes again; start over rather than trust stale progress.
            Reset();
        }
        reader.Advance(_scanned);
        while (true)
        {
            var frameStart = reader.Consumed;
            var status = TryScanFrame(ref reader, out var completesValue, out error);
            if (status != ParseStatus.Complete)
            {
                if (status == ParseStatus.Incomplete)
                {
                    _scanned = frameStart - start;
                }
                else
                {
                    Reset();
                }
                return status;
            }
            if (completesValue && CloseFinished())
            {
                Reset();
                return ParseStatus.Complete;
            }
        }
    }

    /// <summary>
    /// Scans one frame. A scalar or an empty aggregate completes a value; a non-empty aggregate
    /// opens a level and completes nothing yet.
    /// </summary>
    private ParseStatus TryScanFrame(ref SequenceReader<byte> reader, out bool completesValue, out string? error)
    {
        completesValue = false;
        var status = RespFrameHeader.TryRead(ref reader, _limits, out var header, out error);
        if (status != ParseStatus.Complete)
        {
            return status;
        }
        switch (header.Prefix)
        {
            case (byte)'$' or (byte)'!' or (byte)'=':
                if (header.Prefix == (byte)'$' && header.Length == RespFrameHeader.NullLength)
                {
                    completesValue = true;
                    return ParseStatus.Complete;
                }
                return TrySkipBulk(ref reader, header, out completesValue, out error);
            case (byte)'*' or (byte)'~' or (byte)'>' or (byte)'%' or (byte)'|':
                return TryOpenAggregate(header, out completesValue, out error);
            default:
                completesValue = true;
                return ParseStatus.Complete;
        }
    }

    private ParseStatus TrySkipBulk(ref SequenceReader<byte> reader, RespFrameHeader header, out bool completesValue, out string? error)
    {
        completesValue = false;
        if (header.Length > _limits.MaxBulkLength || (header.Prefix == (byte)'=' && header.Length < 4))
        {
            error = $"ERR Protocol error: invalid length for '{(char)header.Prefix}'";
            return ParseStatus.Error;
        }
        error = null;
        if (reader.Remaining < header.Length + 2)
        {
            return ParseStatus.Incomplete;
        }
        reader.Advance(header.Length);
        if (!reader.IsNext("\r\n"u8, advancePast: true))
        {
            error = "ERR Protocol error: expected '\\r\\n' after bulk data";
            return ParseStatus.Error;
        }
        if (header.Prefix == (byte)'=' && !HasVerbatimSeparator(reader, header.Length))
        {
            error = "ERR Protocol error: verbatim string without a format";
            return ParseStatus.Error;
        }
        completesValue = true;
        return ParseStatus.Complete;
    }

    /// <summary>A verbatim payload is "fmt:text": the fourth byte is ':'.</summary>
    private static bool HasVerbatimSeparator(SequenceReader<byte> reader, long length)
    {
        reader.Rewind(length + 2);
        reader.Advance(3);
        return reader.IsNext((byte)':');
    }

    private ParseStatus TryOpenAggregate(RespFrameHeader header, out bool completesValue, out string? error)
    {
        completesValue = false;
        error = null;
        if (header.Prefix == (byte)'*' && header.Length == RespFrameHeader.NullLength)
        {
            completesValue = true;
            return ParseStatus.Complete;
        }
        if (header.Length > _limits.MaxAggregateLength)
        {
            error = $"ERR Protocol error: invalid length for '{(char)header.Prefix}'";
            return ParseStatus.Error;
        }
        var isAttribute = header.Prefix == (byte)'|';
        var children = header.Prefix is (byte)'%' or (byte)'|' ? header.Length * 2 : header.Length;
        if (children == 0)
        {
            // An empty aggregate is a whole value; an empty attribute is nothing, its value follows.
            completesValue = !isAttribute;
            return ParseStatus.Complete;
        }
        if (_depth == _open.Length)
        {
            error = "ERR Protocol error: reply nested too deeply";
            return ParseStatus.Error;
        }
        _open[_depth++] = (children, isAttribute);
        return ParseStatus.Complete;
    }

    /// <summary>
    /// Counts a finished value against the open aggregates, closing every one it completes. True
    /// when the top-level reply is finished. An attribute that closes is not itself a value: the
    /// value it annotates still follows.
    /// </summary>
    private bool CloseFinished()
    {
        while (_depth > 0)
        {
            ref var top = ref _open[_depth - 1];
            if (--top.Remaining > 0)
            {
                return false;
            }
            _depth--;
            if (top.IsAttribute)
            {
                return false;
            }
        }
        return true;
    }
}
