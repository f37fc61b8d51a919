using System.Buffers;

namespace Dst.Protocol;

public sealed partial class RequestParser
{
    /// <summary>
    /// Longest header line ("*n" or "$n") considered before giving up: the prefix and the longest
    /// integer. A longer line can never hold a valid length, so we need not wait for its end.
    /// </summary>
    private const int MaxHeaderLength = 1 + RespInteger.MaxLength;

    private ParseStatus ParseMultibulk(ref SequenceReader<byte> reader, CommandArgs args, bool authenticated, out string? error)
    {
        var span = reader.UnreadSpan;
        var status = ParseMultibulk(span, args, authenticated, out var consumed, out error);
        if (status == ParseStatus.Complete)
        {
            reader.Advance(consumed);
        }
        else if (status == ParseStatus.Incomplete && span.Length < reader.Remaining)
        {
            // The request continues in the next segment: start over on the sequence.
            args.Clear();
            status = ParseMultibulkAcrossSegments(ref reader, args, authenticated, out error);
        }
        return status;
    }

    /// <summary>The fast path: the whole request is expected in one contiguous span.</summary>
    private ParseStatus ParseMultibulk(ReadOnlySpan<byte> buffer, CommandArgs args, bool authenticated, out int consumed, out string? error)
    {
        consumed = 0;
        var status = ParseHeader(buffer, out var count, out var position);
        if (status != ParseStatus.Complete)
        {
            error = status == ParseStatus.Error ? ProtocolErrors.InvalidMultibulkLength : null;
            return status;
        }
        if (!IsAllowedCount(count, authenticated, out error))
        {
            return ParseStatus.Error;
        }
        for (var i = 0L; i < count; i++)
        {
            if (position == buffer.Length)
            {
                return ParseStatus.Incomplete;
            }
            if (buffer[position] != (byte)'$')
            {
                error = ProtocolErrors.ExpectedDollar(buffer[position]);
                return ParseStatus.Error;
            }
            status = ParseHeader(buffer[position..], out var length, out var headerLength);
            if (status != ParseStatus.Complete)
            {
                error = status == ParseStatus.Error ? ProtocolErrors.InvalidBulkLength : null;
                return status;
            }
            if (!IsAllowedBulkLength(length, authenticated, out error))
            {
                return ParseStatus.Error;
            }
            position += headerLength;
            // Reserve room only once the whole bulk is here: a huge header with a few bytes behind it costs nothing.
            if (buffer.Length - position < length + 2)
            {
                return ParseStatus.Incomplete;
            }
            var bulk = buffer.Slice(position, (int)length);
            bulk.CopyTo(args.AddUninitialized(bulk.Length));
            position += bulk.Length;
            if (buffer[position] != (byte)'\r' || buffer[position + 1] != (byte)'\n')
            {
                error = ProtocolErrors.MissingBulkTerminator;
                return ParseStatus.Error;
            }
            position += 2;
        }
        consumed = position;
        return ParseStatus.Complete;
    }

    /// <summary>The same rules over a sequence, for a request that straddles buffer segments.</summary>
    private ParseStatus ParseMultibulkAcrossSegments(ref SequenceReader<byte> reader, CommandArgs args, bool authenticated, out string? error)
    {
        var status = ReadHeader(ref reader, out var count);
        if (status != ParseStatus.Complete)
        {
            error = status == ParseStatus.Error ? ProtocolErrors.InvalidMultibulkLength : null;
            return status;
        }
        if (!IsAllowedCount(count, authenticated, out error))
        {
            return ParseStatus.Error;
        }
        for (var i = 0L; i < count; i++)
        {
            if (!reader.TryPeek(out var prefix))
            {
                return ParseStatus.Incomplete;
            }
            if (prefix != (byte)'$')
            {
                error = ProtocolErrors.ExpectedDollar(prefix);
                return ParseStatus.Error;
            }
            status = ReadHeader(ref reader, out var length);
            if (status != ParseStatus.Complete)
            {
                error = status == ParseStatus.Error ? ProtocolErrors.InvalidBulkLength : null;
                return status;
            }
            if (!IsAllowedBulkLength(length, authenticated, out error))
            {
                return ParseStatus.Error;
            }
            if (reader.Remaining < length + 2)
            {
                return ParseStatus.Incomplete;
            }
            reader.TryCopyTo(args.AddUninitialized((int)length));
            reader.Advance(length);
            if (!reader.IsNext("\r\n"u8, advancePast: true))
            {
                error = ProtocolErrors.MissingBulkTerminator;
                return ParseStatus.Error;
            }
        }
        return ParseStatus.Complete;
    }

    /// <summary>Reads a header line at the reader's position, through a small copy when it straddles segments.</summary>
    private static ParseStatus ReadHeader(ref SequenceReader<byte> reader, out long value)
    {
        scoped ReadOnlySpan<byte> window = reader.UnreadSpan;
        Span<byte> copy = stackalloc byte[MaxHeaderLength + 2];
        if (window.Length < copy.Length && window.Length < reader.Remaining)
        {
            var available = (int)Math.Min(reader.Remaining, copy.Length);
            reader.TryCopyTo(copy[..available]);
            window = copy[..available];
        }
        var status = ParseHeader(window, out value, out var lineLength);
        if (status == ParseStatus.Complete)
        {
            reader.Advance(lineLength);
        }
        return status;
    }

    /// <summary>
    /// The common header in one pass: one to nine digits, no leading zero (a lone "0" is fine),
    /// then CRLF. Anything else, complete or not, is left to <see cref="ParseHeader"/>'s general path,
    /// which gives the same answer for these bytes.
    /// </summary>
    private static bool TryParseShortHeader(ReadOnlySpan<byte> window, out long value, out int lineLength)
    {
        value = 0;
        lineLength = 0;
        if (window.Length < 4 || (uint)(window[1] - '0') > 9 || (window[1] == (byte)'0' && window[2] != (byte)'\r'))
        {
            return false;
        }
        var i = 1;
        var accumulated = 0;
        for (; i < window.Length && i <= 9; i++)
        {
            var digit = (uint)(window[i] - '0');
            if (digit > 9)
            {
                break;
            }
            accumulated = (accumulated * 10) + (int)digit;
        }
        if (i + 1 >= window.Length || window[i] != (byte)'\r' || window[i + 1] != (byte)'\n')
        {
            return false;
        }
        value = accumulated;
        lineLength = i + 2;
        return true;
    }

    /// <summary>
    /// Parses "&lt;prefix&gt;&lt;integer&gt;\r\n" at the start of <paramref name="window"/>. Error when the
    /// line is not a valid integer, too long to be one, or its CR is not followed by LF; the
    /// outcome never depends on where the window ends, only on the bytes.
    /// </summary>
    private static ParseStatus ParseHeader(ReadOnlySpan<byte> window, out long value, out int lineLength)
    {
        if (TryParseShortHeader(window, out value, out lineLength))
        {
            return ParseStatus.Complete;
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
        lineLength = cr + 2;
        return ParseStatus.Complete;
    }
}
