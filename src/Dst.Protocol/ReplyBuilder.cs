using System.Buffers;
using System.Text;

namespace Dst.Protocol;

/// <summary>
/// Turns the bytes of one reply, already validated and known to be complete by
/// <see cref="ReplyScan"/>, into a <see cref="RespValue"/> tree. Recursion is bounded by the
/// scan's depth limit.
/// </summary>
internal static class ReplyBuilder
{
    public static RespValue Build(ref SequenceReader<byte> reader, RespReaderLimits limits)
    {
        var header = ReadHeader(ref reader, limits);
        if (header.Prefix != (byte)'|')
        {
            return BuildFrom(ref reader, header, limits);
        }
        var attributes = BuildAggregate(ref reader, RespType.Map, header.Length * 2, limits);
        return Build(ref reader, limits).WithAttributes(attributes);
    }

    private static RespValue BuildFrom(ref SequenceReader<byte> reader, RespFrameHeader header, RespReaderLimits limits)
    {
        switch (header.Prefix)
        {
            case (byte)'+':
                return RespValue.FromWire(RespType.SimpleString, header.Line.ToArray());
            case (byte)'-':
                return RespValue.FromWire(RespType.SimpleError, header.Line.ToArray());
            case (byte)'(':
                return RespValue.FromWire(RespType.BigNumber, header.Line.ToArray());
            case (byte)':':
                return RespValue.FromInteger(header.Length);
            case (byte)'#':
                return RespValue.FromBoolean(header.Length != 0);
            case (byte)',':
                return RespValue.FromDouble(header.Double);
            case (byte)'_':
                return RespValue.Null;
            case (byte)'$' when header.Length == RespFrameHeader.NullLength:
                return RespValue.Null;
            case (byte)'*' when header.Length == RespFrameHeader.NullLength:
                return RespValue.Null;
            case (byte)'$':
                return RespValue.FromWire(RespType.BulkString, ReadBulk(ref reader, header.Length));
            case (byte)'!':
                return RespValue.FromWire(RespType.BulkError, ReadBulk(ref reader, header.Length));
            case (byte)'=':
                var payload = ReadBulk(ref reader, header.Length);
                return RespValue.FromWire(RespType.VerbatimString, payload[4..], Encoding.ASCII.GetString(payload, 0, 3));
            case (byte)'*':
                return BuildAggregate(ref reader, RespType.Array, header.Length, limits);
            case (byte)'~':
                return BuildAggregate(ref reader, RespType.Set, header.Length, limits);
            case (byte)'>':
                return BuildAggregate(ref reader, RespType.Push, header.Length, limits);
            case (byte)'%':
                return BuildAggregate(ref reader, RespType.Map, header.Length * 2, limits);
            default:
                throw new InvalidOperationException($"Reply type '{(char)header.Prefix}' passed the scan but has no builder.");
        }
    }

    private static RespValue BuildAggregate(ref SequenceReader<byte> reader, RespType type, long count, RespReaderLimits limits)
    {
        var items = new RespValue[count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = Build(ref reader, limits);
        }
        return RespValue.Aggregate(type, items);
    }

    private static byte[] ReadBulk(ref SequenceReader<byte> reader, long length)
    {
        var bytes = new byte[length];
        reader.TryCopyTo(bytes);
        reader.Advance(length + 2);
        return bytes;
    }

    private static RespFrameHeader ReadHeader(ref SequenceReader<byte> reader, RespReaderLimits limits)
    {
        if (RespFrameHeader.TryRead(ref reader, limits, out var header, out var error) != ParseStatus.Complete)
        {
            throw new InvalidOperationException($"A scanned reply failed to parse again: {error}");
        }
        return header;
    }
}
