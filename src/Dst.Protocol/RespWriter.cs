using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Dst.Protocol;

/// <summary>
/// Writes replies in the connection's RESP dialect straight into an output buffer. RESP3-only
/// types degrade the way Redis degrades them for RESP2 clients: maps become flat arrays, sets
/// arrays, doubles bulk strings, booleans integers, nulls the RESP2 null bulk or null array.
/// </summary>
public sealed class RespWriter
{
    private IBufferWriter<byte> _output;

    public RespWriter(IBufferWriter<byte> output, RespVersion version = RespVersion.Resp2)
    {
        _output = output;
        Version = version;
    }

    public RespVersion Version { get; set; }

    public bool IsResp3 => Version == RespVersion.Resp3;

    /// <summary>Points the writer at another buffer (a pooled writer reused across replies).</summary>
    public void Reset(IBufferWriter<byte> output) => _output = output;

    public void WriteSimpleString(ReadOnlySpan<byte> ascii) => WriteLine((byte)'+', ascii);

    public void WriteSimpleString(string ascii) => WriteLineString((byte)'+', ascii);

    public void WriteOk() => WriteRaw("+OK\r\n"u8);

    /// <summary>
    /// An error reply. <paramref name="message"/> carries its own code ("ERR ...", "WRONGTYPE ...");
    /// CR and LF inside it are replaced with spaces, as Redis does, so the frame stays valid.
    /// </summary>
    public void WriteError(string message) => WriteLineString((byte)'-', message);

    public void WriteError(ReadOnlySpan<byte> message) => WriteLine((byte)'-', message);

    public void WriteInteger(long value) => WriteHeader((byte)':', value);

    public void WriteBulkString(ReadOnlySpan<byte> value)
    {
        WriteHeader((byte)'$', value.Length);
        var span = _output.GetSpan(value.Length + 2);
        value.CopyTo(span);
        span[value.Length] = (byte)'\r';
        span[value.Length + 1] = (byte)'\n';
        _output.Advance(value.Length + 2);
    }

    public void WriteBulkString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteHeader((byte)'$', length);
        var span = _output.GetSpan(length + 2);
        Encoding.UTF8.GetBytes(value, span);
        span[length] = (byte)'\r';
        span[length + 1] = (byte)'\n';
        _output.Advance(length + 2);
    }

    /// <summary>An integer as a bulk string (what GET returns for a number-looking value).</summary>
    public void WriteBulkString(long value)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out var written);
        WriteBulkString(digits[..written]);
    }

    /// <summary>The null reply for a missing value: <c>$-1</c> in RESP2, <c>_</c> in RESP3.</summary>
    public void WriteNull() => WriteRaw(IsResp3 ? "_\r\n"u8 : "$-1\r\n"u8);

    /// <summary>The null reply where an array was expected: <c>*-1</c> in RESP2, <c>_</c> in RESP3.</summary>
    public void WriteNullArray() => WriteRaw(IsResp3 ? "_\r\n"u8 : "*-1\r\n"u8);

    public void WriteArrayHeader(int count) => WriteHeader((byte)'*', count);

    /// <summary>A map of <paramref name="pairs"/> entries; RESP2 gets an array of 2 x pairs items.</summary>
    public void WriteMapHeader(int pairs)
    {
        if (IsResp3)
        {
            WriteHeader((byte)'%', pairs);
        }
        else
        {
            WriteHeader((byte)'*', pairs * 2);
        }
    }

    public void WriteSetHeader(int count) => WriteHeader(IsResp3 ? (byte)'~' : (byte)'*', count);

    /// <summary>An out-of-band push (pub/sub messages); RESP2 clients receive a plain array.</summary>
    public void WritePushHeader(int count) => WriteHeader(IsResp3 ? (byte)'>' : (byte)'*', count);

    public void WriteBoolean(bool value)
    {
        if (IsResp3)
        {
            WriteRaw(value ? "#t\r\n"u8 : "#f\r\n"u8);
        }
        else
        {
            WriteInteger(value ? 1 : 0);
        }
    }

    /// <summary>
    /// A double: RESP3 <c>,</c> type, RESP2 bulk string, formatted as Redis formats scores. Written in
    /// one reservation of the output: the text is at most 40 bytes, so its length has one or two digits
    /// and, being a number, it needs no CR/LF scrubbing.
    /// </summary>
    public void WriteDouble(double value)
    {
        Span<byte> text = stackalloc byte[40];
        var length = FormatDouble(value, text);
        var span = _output.GetSpan(length + 7);
        var at = 0;
        if (IsResp3)
        {
            span[at++] = (byte)',';
        }
        else
        {
            span[at++] = (byte)'$';
            if (length >= 10)
            {
                span[at++] = (byte)('0' + (length / 10));
            }
            span[at++] = (byte)('0' + (length % 10));
            span[at++] = (byte)'\r';
            span[at++] = (byte)'\n';
        }
        text[..length].CopyTo(span[at..]);
        at += length;
        span[at++] = (byte)'\r';
        span[at++] = (byte)'\n';
        _output.Advance(at);
    }

    /// <summary>Verbatim text (RESP3 <c>=</c> with a 3-letter format such as "txt"); RESP2 gets a bulk string.</summary>
    public void WriteVerbatim(string text, string format = "txt")
    {
        if (!IsResp3)
        {
            WriteBulkString(text);
            return;
        }
        var length = Encoding.UTF8.GetByteCount(text) + 4;
        WriteHeader((byte)'=', length);
        var span = _output.GetSpan(length + 2);
        Encoding.ASCII.GetBytes(format, span);
        span[3] = (byte)':';
        Encoding.UTF8.GetBytes(text, span[4..]);
        span[length] = (byte)'\r';
        span[length + 1] = (byte)'\n';
        _output.Advance(length + 2);
    }

    /// <summary>
    /// A reply decoded elsewhere (one node relaying another's answer), written back in this writer's
    /// dialect: RESP3-only types degrade for RESP2 clients as everywhere else; attributes are dropped.
    /// </summary>
    public void WriteValue(RespValue value)
    {
        switch (value.Type)
        {
            case RespType.SimpleString:
                WriteSimpleString(value.Bytes.Span);
                break;
            case RespType.SimpleError or RespType.BulkError:
                WriteError(value.Bytes.Span);
                break;
            case RespType.Integer:
                WriteInteger(value.Integer);
                break;
            case RespType.Null:
                WriteNull();
                break;
            case RespType.Boolean:
                WriteBoolean(value.Boolean);
                break;
            case RespType.Double:
                WriteDouble(value.Double);
                break;
            case RespType.VerbatimString:
                WriteVerbatim(Encoding.UTF8.GetString(value.Bytes.Span), value.Format ?? "txt");
                break;
            case RespType.Map:
                WriteMapHeader(value.PairCount);
                WriteItems(value);
                break;
            case RespType.Set:
                WriteSetHeader(value.Items.Count);
                WriteItems(value);
                break;
            case RespType.Array or RespType.Push:
                WriteArrayHeader(value.Items.Count);
                WriteItems(value);
                break;
            default:
                // Bulk strings, and big numbers, which RESP2 clients receive as bulk strings too.
                WriteBulkString(value.Bytes.Span);
                break;
        }
    }

    /// <summary>Bytes that are already a complete RESP frame.</summary>
    public void WriteRaw(ReadOnlySpan<byte> frame)
    {
        var span = _output.GetSpan(frame.Length);
        frame.CopyTo(span);
        _output.Advance(frame.Length);
    }

    private void WriteItems(RespValue value)
    {
        foreach (var item in value.Items)
        {
            WriteValue(item);
        }
    }

    /// <summary>
    /// Formats a double the way Redis replies with scores: integers without a fraction, otherwise the
    /// shortest text that reads back to the same value; <c>inf</c>, <c>-inf</c>, <c>nan</c>.
    /// </summary>
    public static int FormatDouble(double value, Span<byte> destination)
    {
        if (double.IsPositiveInfinity(value))
        {
            "inf"u8.CopyTo(destination);
            return 3;
        }
        if (double.IsNegativeInfinity(value))
        {
            "-inf"u8.CopyTo(destination);
            return 4;
        }
        if (double.IsNaN(value))
        {
            "nan"u8.CopyTo(destination);
            return 3;
        }
        if (TryFormatShortDecimal(value, destination, out var written))
        {
            return written;
        }
        value.TryFormat(destination, out written, "R", System.Globalization.CultureInfo.InvariantCulture);
        // .NET writes 1E+20 where Redis writes 1e+20.
        var exponent = destination[..written].IndexOf((byte)'E');
        if (exponent >= 0)
        {
            destination[exponent] = (byte)'e';
        }
        return written;
    }

    /// <summary>
    /// The common scores, integers and decimals with at most <see cref="ShortFractionDigits"/> fraction
    /// digits below 1e9 (1, 1.5, 0.25, timestamps in seconds), formatted with integer arithmetic: the
    /// general shortest-round-trip algorithm costs about 70 ns a score and dominated ZRANGE WITHSCORES.
    /// For k = 0, 1, ... the value is n / 10^k when n = round(value * 10^k) divides back to it exactly:
    /// IEEE division is correctly rounded like parsing, so that text reads back to the value, and the
    /// first such k has the fewest digits. Below 1e9 one unit in the last place is under 10^-6, so no
    /// other k-digit decimal reads back to the value: the text is the one "R" writes. Anything else
    /// (-0, NaN, larger, more digits) takes the general path.
    /// </summary>
    private static bool TryFormatShortDecimal(double value, Span<byte> destination, out int written)
    {
        written = 0;
        var magnitude = Math.Abs(value);
        if (!(magnitude < 1e9) || (value == 0 && double.IsNegative(value)))
        {
            return false;
        }
        for (var k = 0; k <= ShortFractionDigits; k++)
        {
            var scaled = Math.Round(magnitude * PowersOfTen[k]);
            if (scaled / PowersOfTen[k] != magnitude)
            {
                continue;
            }
            var digits = (long)scaled;
            var unit = (long)PowersOfTen[k];
            if (value < 0)
            {
                destination[written++] = (byte)'-';
            }
            Utf8Formatter.TryFormat(digits / unit, destination[written..], out var integerLength);
            written += integerLength;
            if (k > 0)
            {
                destination[written++] = (byte)'.';
                var fraction = digits % unit;
                for (var i = written + k - 1; i >= written; i--, fraction /= 10)
                {
                    destination[i] = (byte)('0' + (fraction % 10));
                }
                written += k;
            }
            return true;
        }
        return false;
    }

    private const int ShortFractionDigits = 4;

    private static ReadOnlySpan<double> PowersOfTen => [1, 10, 100, 1000, 10000];

    /// <summary>A prefix, a decimal integer and CRLF: an integer reply or a length header.</summary>
    private void WriteHeader(byte prefix, long count)
    {
        var span = _output.GetSpan(24);
        span[0] = prefix;
        // One digit (":0", ":1", "$3", "*2") is most replies and headers: no formatter call.
        if ((ulong)count < 10)
        {
            span[1] = (byte)('0' + count);
            span[2] = (byte)'\r';
            span[3] = (byte)'\n';
            _output.Advance(4);
            return;
        }
        Utf8Formatter.TryFormat(count, span[1..], out var written);
        span[1 + written] = (byte)'\r';
        span[2 + written] = (byte)'\n';
        _output.Advance(3 + written);
    }

    private void WriteLine(byte prefix, ReadOnlySpan<byte> text)
    {
        var span = _output.GetSpan(text.Length + 3);
        span[0] = prefix;
        text.CopyTo(span[1..]);
        foreach (ref var b in span.Slice(1, text.Length))
        {
            if (b is (byte)'\r' or (byte)'\n')
            {
                b = (byte)' ';
            }
        }
        span[text.Length + 1] = (byte)'\r';
        span[text.Length + 2] = (byte)'\n';
        _output.Advance(text.Length + 3);
    }

    private void WriteLineString(byte prefix, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        var rented = length > 256 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> utf8 = rented ?? stackalloc byte[256];
        Encoding.UTF8.GetBytes(text, utf8);
        WriteLine(prefix, utf8[..length]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
