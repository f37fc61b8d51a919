using System.Buffers;

namespace Dst.Protocol;

/// <summary>
/// Parses client requests straight from a connection's receive buffer: multibulk
/// (<c>*&lt;n&gt;\r\n$&lt;len&gt;\r\n&lt;bytes&gt;\r\n...</c>) and inline commands (any other first byte, one
/// line). Every announced size is checked against <see cref="ProtocolLimits"/> before a byte is
/// reserved for it, and arguments are copied once, into the caller's reusable
/// <see cref="CommandArgs"/>, so a steady connection parses without allocating.
/// A request that lies in one buffer segment (the common case) is parsed on a span; one that
/// straddles segments takes a slower path over the sequence with the same rules and results.
/// One instance per connection; it keeps no state between calls.
/// </summary>
public sealed partial class RequestParser
{
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
    /// the reader is at the start of the offending request; reply and close the connection.
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
            var requestStart = reader.Consumed;
            var status = reader.UnreadSpan[0] == (byte)'*'
                ? ParseMultibulk(ref reader, args, authenticated, out error)
                : ParseInline(ref reader, args, out error);
            switch (status)
            {
                case ParseStatus.Complete when args.Count == 0:
                    continue;
                case ParseStatus.Incomplete:
                    return Incomplete(ref reader, start, authenticated, out error);
                case ParseStatus.Error:
                    reader.Rewind(reader.Consumed - requestStart);
                    return status;
                default:
                    return status;
            }
        }
    }

    /// <summary>Rewinds to where the call started, unless the pending request is already over the query buffer limit.</summary>
    private ParseStatus Incomplete(ref SequenceReader<byte> reader, long start, bool authenticated, out string? error)
    {
        reader.Rewind(reader.Consumed - start);
        if (reader.Remaining > _limits.QueryBufferLimit(authenticated))
        {
            error = ProtocolErrors.QueryBufferLimitExceeded;
            return ParseStatus.Error;
        }
        error = null;
        return ParseStatus.Incomplete;
    }

    /// <summary>Checks a multibulk count (already a valid integer) against the limits.</summary>
    private bool IsAllowedCount(long count, bool authenticated, out string? error)
    {
        error = count > _limits.MaxMultibulkLength ? ProtocolErrors.InvalidMultibulkLength
            : !authenticated && count > _limits.UnauthenticatedMaxMultibulkLength ? ProtocolErrors.UnauthenticatedMultibulkLength
            : null;
        return error is null;
    }

    /// <summary>Checks a bulk length (already a valid integer) against the limits.</summary>
    private bool IsAllowedBulkLength(long length, bool authenticated, out string? error)
    {
        error = length < 0 || length > _limits.MaxBulkLength ? ProtocolErrors.InvalidBulkLength
            : !authenticated && length > _limits.UnauthenticatedMaxBulkLength ? ProtocolErrors.UnauthenticatedBulkLength
            : null;
        return error is null;
    }
}
