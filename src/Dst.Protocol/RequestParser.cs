using System.Buffers;

namespace Dst.Protocol;

/// <summary>
/// Parses client requests straight from a connection's receive buffer: multibulk
/// (<c>*&lt;n&gt;\r\n$&lt;len&gt;\r\n&lt;bytes&gt;\r\n...</c>) and inline commands (any other first byte, one
/// line). Every announced size is checked against <see cref="ProtocolLimits"/> before a byte is
/// reserved for it, and arguments are copied once, into the caller's reusable
/// <see cref="CommandArgs"/>, so a steady connection parses without allocating.
/// One instance per connection; it keeps no state between calls.
/// </summary>
public sealed class RequestParser
{
    /// <summary>
    /// Longest header line ("*n" or "$n") considered before giving up: the prefix and the longest
    /// integer. A longer line can never hold a valid length, so we need not wait for its end.
    /// </summary>
    private const int MaxHeaderLength = 1 + RespInteger.MaxLength;

    private readonly ProtocolLimits _limits;

    public RequestParser(ProtocolLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
    }

    public RequestParser()
        : this(ProtocolLimits.Default)
    {
    }

    /// <summary>
    /// Parses one request from the reader's position into <paramref name="args"/> (cleared first).
    /// Empty inline lines and multibulk counts of zero or less are skipped, as Redis skips them.
    /// <see cref="ParseStatus.Complete"/>: the reader is past the request.
    /// <see cref="ParseStatus.Incomplete"/>: the reader has not moved; call again with the same bytes and more.
    /// <see cref="ParseStatus.Error"/>: <paramref name="error"/> is Redis's reply text (without "-");
    /// reply with it and close the connection.
    /// </summary>
    public ParseStatus TryParse(ref SequenceReader<byte> reader, CommandArgs args, bool authenticated, out string? error)
    {
        var start = reader.Consumed;
        while (true)
        {
            args.Clear();
            if (reader.End)
            {
                return Incomplete(ref reader, start, authenticated, out error);
            }
            var status = reader.UnreadSpan[0] == (byte)'*'
                ? ParseMultibulk(ref reader, args, authenticated, out error)
                : ParseInline(ref reader, args, out error);
            switch (status)
            {
                case ParseStatus.Complete when args.Count == 0:
                    continue;
                case ParseStatus.Incomplete:
                    return Incomplete(ref reader, start, authenticated, out error);
                default:
                    return status;
            }
        }
    }

    /// <summary>Rewinds to where the call started, unless the pending request is already over the query buffer limit.</summary>
    private ParseStatus Incomplete(ref SequenceReader<byte> reader, long start, bool authenticated, out string? error)
    {
        reader.Rewind(reader.Consumed - start);
        var pendingBytes = reader.Remaining;
        if (pendingBytes > _limits.QueryBufferLimit(authenticated))
        {
            error = ProtocolErrors.QueryBufferLimitExceeded;
            return ParseStatus.Error;
        }
        error = null;
        return ParseStatus.Incomplete;
    }

    private ParseStatus ParseMultibulk(ref SequenceReader<byte> reader, CommandArgs args, bool authenticated, out string? error)
    {
        var requestStart = reader.Consumed;
        var header = TryReadHeader(ref reader, out var count);
        if (header != ParseStatus.Complete)
        {
            error = header == ParseStatus.Error ? ProtocolErrors.InvalidMultibulkLength : null;
            return header;
        }
        if (count > _limits.MaxMultibulkLength)
        {
            error = ProtocolErrors.InvalidMultibulkLength;
            return ParseStatus.Error;
        }
        if (!authenticated && count > _limits.UnauthenticatedMaxMultibulkLength)
        {
            error = ProtocolErrors.UnauthenticatedMultibulkLength;
            return ParseStatus.Error;
        }
        // Redis treats "*0" and "*-1" (any count <= 0) as an empty request and skips it.
        for (var i = 0L; i < count; i++)
        {
            var status = ParseBulk(ref reader, args, authenticated, out error);
            if (status != ParseStatus.Complete)
            {
                return status;
            }
        }
        error = null;
        return ParseStatus.Complete;
    }

    private ParseStatus ParseBulk(ref SequenceReader<byte> reader, CommandArgs args, bool authenticated, out string? error)
    {
        if (!reader.TryPeek(out var prefix))
        {
            error = null;
            return ParseStatus.Incomplete;
        }
        if (prefix != (byte)'$')
        {
            error = ProtocolErrors.ExpectedDollar(prefix);
            return ParseStatus.Error;
        }
        var header = TryReadHeader(ref reader, out var length);
        if (header != ParseStatus.Complete || length < 0 || length > _limits.MaxBulkLength)
        {
            error = header == ParseStatus.Incomplete ? null : ProtocolErrors.InvalidBulkLength;
            return header == ParseStatus.Incomplete ? header : ParseStatus.Error;
        }
        if (!authenticated && length > _limits.UnauthenticatedMaxBulkLength)
        {
            error = ProtocolErrors.UnauthenticatedBulkLength;
            return ParseStatus.Error;
        }
        // Reserve room only once the whole bulk has arrived: a huge header with a few bytes behind
        // it costs nothing.
        if (reader.Remaining < length + 2)
        {
            error = null;
            return ParseStatus.Incomplete;
        }
        var destination = args.AddUninitialized((int)length);
        reader.TryCopyTo(destination);
        reader.Advance(length);
        if (!reader.IsNext("\r\n"u8, advancePast: true))
        {
            error = ProtocolErrors.MissingBulkTerminator;
            return ParseStatus.Error;
        }
        error = null;
        return ParseStatus.Complete;
    }

    /// <summary>
    /// Reads a header line "&lt;prefix&gt;&lt;integer&gt;\r\n" at the reader's position. Error when the
    /// line is not a valid integer, too long to be one, or its CR is not followed by LF.
    /// </summary>
    private static ParseStatus TryReadHeader(ref SequenceReader<byte> reader, out long value)
    {
        value = 0;
        scoped ReadOnlySpan<byte> window = reader.UnreadSpan;
        Span<byte> copy = stackalloc byte[MaxHeaderLength + 2];
        if (window.Length < copy.Length && window.Length < reader.Remaining)
        {
            // The header straddles segments: look at it through a small contiguous copy.
            var available = (int)Math.Min(reader.Remaining, copy.Length);
            reader.TryCopyTo(copy[..available]);
            window = copy[..available];
        }
        var searched = window[..Math.Min(window.Length, MaxHeaderLength + 1)];
        var cr = searched.IndexOf((byte)'\r');
        if (cr < 0)
        {
            return searched.Length > MaxHeaderLength ? ParseStatus.Error : ParseStatus.Incomplete;
        }
        if (cr + 1 == window.Length)
        {
            return ParseStatus.Incomplete;
        }
        if (window[cr + 1] != (byte)'\n' || !RespInteger.TryParse(window[1..cr], out value))
        {
            return ParseStatus.Error;
        }
        reader.Advance(cr + 2);
        return ParseStatus.Complete;
    }

    /// <summary>One line ended by "\n" or "\r\n", split with redis-cli quoting.</summary>
    private ParseStatus ParseInline(ref SequenceReader<byte> reader, CommandArgs args, out string? error)
    {
        var maxLine = _limits.MaxInlineLength;
        var searched = reader.UnreadSequence.Slice(0, Math.Min(reader.Remaining, maxLine + 2L));
        var newline = searched.PositionOf((byte)'\n');
        if (newline is null)
        {
            // Without a newline in range the line is already too long, or we wait for more bytes.
            var tooLong = searched.Length > maxLine + 1L || (searched.Length == maxLine + 1L && searched.ByteAt(maxLine) != (byte)'\r');
            error = tooLong ? ProtocolErrors.TooBigInlineRequest : null;
            return tooLong ? ParseStatus.Error : ParseStatus.Incomplete;
        }
        var line = searched.Slice(0, newline.Value);
        var lineLength = line.Length;
        if (lineLength > 0 && EndsWithCarriageReturn(line))
        {
            lineLength--;
        }
        if (lineLength > maxLine)
        {
            error = ProtocolErrors.TooBigInlineRequest;
            return ParseStatus.Error;
        }
        var split = line.IsSingleSegment
            ? InlineArgumentSplitter.TrySplit(line.FirstSpan[..(int)lineLength], args)
            : SplitCopied(line.Slice(0, lineLength), args);
        if (!split)
        {
            error = ProtocolErrors.UnbalancedQuotes;
            return ParseStatus.Error;
        }
        reader.Advance(line.Length + 1);
        error = null;
        return ParseStatus.Complete;
    }

    private static bool EndsWithCarriageReturn(ReadOnlySequence<byte> line) => line.ByteAt(line.Length - 1) == (byte)'\r';

    /// <summary>A line that straddles buffer segments is split from a pooled contiguous copy.</summary>
    private static bool SplitCopied(ReadOnlySequence<byte> line, CommandArgs args)
    {
        var rented = ArrayPool<byte>.Shared.Rent((int)line.Length);
        try
        {
            line.CopyTo(rented);
            return InlineArgumentSplitter.TrySplit(rented.AsSpan(0, (int)line.Length), args);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
