using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Dst.Protocol;

/// <summary>
/// Reads replies (RESP2 and RESP3, including attributes and pushes) from a byte stream into
/// <see cref="RespValue"/> trees. Incremental: when the buffer ends inside a reply the reader is
/// left where it was and the scan's progress is remembered, so a large reply arriving in many
/// pieces is scanned once, not once per piece. Nothing is allocated until the whole reply is
/// present. One instance per stream; not thread-safe.
/// </summary>
public sealed class RespReader
{
    private readonly RespReaderLimits _limits;
    private readonly ReplyScan _scan;

    public RespReader(RespReaderLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
        _scan = new ReplyScan(limits);
    }

    public RespReader()
        : this(RespReaderLimits.Default)
    {
    }

    /// <summary>
    /// Reads one reply. <see cref="ParseStatus.Complete"/>: <paramref name="value"/> is set and the
    /// reader is past the reply. <see cref="ParseStatus.Incomplete"/>: the reader has not moved;
    /// call again with the same bytes followed by more. <see cref="ParseStatus.Error"/>: the stream is
    /// not valid RESP and cannot be resynchronised.
    /// </summary>
    public ParseStatus TryRead(ref SequenceReader<byte> reader, [NotNullWhen(true)] out RespValue? value, out string? error)
    {
        value = null;
        var start = reader.Consumed;
        var status = _scan.TryFindEnd(ref reader, out error);
        var length = reader.Consumed - start;
        reader.Rewind(length);
        if (status != ParseStatus.Complete)
        {
            return status;
        }
        var frame = new SequenceReader<byte>(reader.UnreadSequence.Slice(0, length));
        value = ReplyBuilder.Build(ref frame, _limits);
        reader.Advance(length);
        return ParseStatus.Complete;
    }

    /// <summary>
    /// Finds the end of one reply without building it (a proxy relays the bytes as they are). On
    /// <see cref="ParseStatus.Complete"/> <paramref name="length"/> is the reply's size in bytes and
    /// the reader has not moved; otherwise as <see cref="TryRead"/>.
    /// </summary>
    public ParseStatus TryMeasure(ref SequenceReader<byte> reader, out long length, out string? error)
    {
        var start = reader.Consumed;
        var status = _scan.TryFindEnd(ref reader, out error);
        length = reader.Consumed - start;
        reader.Rewind(length);
        return status;
    }

    /// <summary>Forgets a partially scanned reply (after the stream was replaced or reset).</summary>
    public void Reset() => _scan.Reset();
}
