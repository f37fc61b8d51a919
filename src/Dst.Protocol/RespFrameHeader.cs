using System.Buffers;
using System.Globalization;

namespace Dst.Protocol;

/// <summary>
/// The first line of a reply frame: its type byte and what the line says. For strings and
/// aggregates that is a length or count; for line types it is the value itself.
/// </summary>
internal readonly record struct RespFrameHeader(byte Prefix, long Length, double Double, ReadOnlySequence<byte> Line)
{
    /// <summary>Length announced by "$-1" / "*-1": the RESP2 nulls.</summary>
    public const long NullLength = -1;

    /// <summary>
    /// Reads one header line at the reader's position and advances past it. Incomplete leaves the
    /// reader where it was; Error sets <paramref name="error"/>.
    /// </summary>
    public static ParseStatus TryRead(ref SequenceReader<byte> reader, RespReaderLimits limits, out RespFrameHeader header, out string? error)
    {
        header = default;
        error = null;
        var start = reader.Consumed;
        if (!reader.TryPeek(out var prefix))
        {
            return ParseStatus.Incomplete;
        }
        reader.Advance(1);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
        {
            var pending = reader.Remaining;
            reader.Rewind(reader.Consumed - start);
            if (pending > limits.MaxLineLength)
            {
                error = "ERR Protocol error: reply line too long";
                return ParseStatus.Error;
            }
            return ParseStatus.Incomplete;
        }
        if (line.IsEmpty || line.ByteAt(line.Length - 1) != (byte)'\r' || line.Length - 1 > limits.MaxLineLength)
        {
            error = "ERR Protocol error: reply line not ended by CRLF";
            return ParseStatus.Error;
        }
        line = line.Slice(0, line.Length - 1);
        header = new RespFrameHeader(prefix, 0, 0, line);
        switch (prefix)
        {
            case (byte)'+' or (byte)'-':
                return ParseStatus.Complete;
            case (byte)':':
                return ParseNumber(line, prefix, long.MinValue, ref header, out error);
            case (byte)'$' or (byte)'*':
                return ParseNumber(line, prefix, NullLength, ref header, out error);
            case (byte)'!' or (byte)'=' or (byte)'%' or (byte)'~' or (byte)'>' or (byte)'|':
                return ParseNumber(line, prefix, 0, ref header, out error);
            case (byte)'_':
                return Expect(line.IsEmpty, "ERR Protocol error: null with a payload", out error);
            case (byte)'#':
                var flag = line.Length == 1 ? line.ByteAt(0) : (byte)0;
                var isBoolean = flag is (byte)'t' or (byte)'f';
                header = header with { Length = flag == (byte)'t' ? 1 : 0 };
                return Expect(isBoolean, "ERR Protocol error: invalid boolean", out error);
            case (byte)',':
                var isDouble = TryParseDouble(line, out var value);
                header = header with { Double = value };
                return Expect(isDouble, "ERR Protocol error: invalid double", out error);
            case (byte)'(':
                return Expect(IsBigNumber(line), "ERR Protocol error: invalid big number", out error);
            default:
                error = $"ERR Protocol error: unknown reply type '{(char)prefix}'";
                return ParseStatus.Error;
        }
    }

    private static ParseStatus ParseNumber(ReadOnlySequence<byte> line, byte prefix, long minimum, ref RespFrameHeader header, out string? error)
    {
        Span<byte> copy = stackalloc byte[RespInteger.MaxLength];
        if (line.Length <= RespInteger.MaxLength)
        {
            line.CopyTo(copy);
            if (RespInteger.TryParse(copy[..(int)line.Length], out var value) && value >= minimum)
            {
                header = header with { Length = value };
                error = null;
                return ParseStatus.Complete;
            }
        }
        error = prefix == (byte)':' ? "ERR Protocol error: invalid integer" : $"ERR Protocol error: invalid length for '{(char)prefix}'";
        return ParseStatus.Error;
    }

    private static ParseStatus Expect(bool valid, string message, out string? error)
    {
        error = valid ? null : message;
        return valid ? ParseStatus.Complete : ParseStatus.Error;
    }

    /// <summary>RESP3 doubles: decimal or exponent notation, plus inf, -inf and nan.</summary>
    private static bool TryParseDouble(ReadOnlySequence<byte> line, out double value)
    {
        value = 0;
        Span<byte> text = stackalloc byte[64];
        if (line.IsEmpty || line.Length > text.Length)
        {
            return false;
        }
        line.CopyTo(text);
        text = text[..(int)line.Length];
        if (text.SequenceEqual("inf"u8) || text.SequenceEqual("+inf"u8))
        {
            value = double.PositiveInfinity;
            return true;
        }
        if (text.SequenceEqual("-inf"u8))
        {
            value = double.NegativeInfinity;
            return true;
        }
        if (text.SequenceEqual("nan"u8) || text.SequenceEqual("-nan"u8))
        {
            value = double.NaN;
            return true;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    private static bool IsBigNumber(ReadOnlySequence<byte> line)
    {
        var reader = new SequenceReader<byte>(line);
        reader.IsNext((byte)'-', advancePast: true);
        if (reader.End)
        {
            return false;
        }
        while (reader.TryRead(out var b))
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }
        return true;
    }
}
