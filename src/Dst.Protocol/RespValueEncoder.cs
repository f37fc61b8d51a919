using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Dst.Protocol;

/// <summary>
/// Writes a <see cref="RespValue"/> back to the wire in its own RESP3 type (null as <c>_</c>),
/// attributes included: what a test server, a replay tool or a proxy that rewrites replies needs.
/// Connections that speak RESP2 to clients reply through <see cref="RespWriter"/> instead.
/// </summary>
public static class RespValueEncoder
{
    public static void Write(IBufferWriter<byte> output, RespValue value)
    {
        if (value.Attributes is { } attributes)
        {
            WriteHeader(output, (byte)'|', attributes.PairCount);
            WriteItems(output, attributes);
        }
        switch (value.Type)
        {
            case RespType.SimpleString:
                WriteLine(output, (byte)'+', value.Bytes.Span);
                break;
            case RespType.SimpleError:
                WriteLine(output, (byte)'-', value.Bytes.Span);
                break;
            case RespType.BigNumber:
                WriteLine(output, (byte)'(', value.Bytes.Span);
                break;
            case RespType.Integer:
                WriteHeader(output, (byte)':', value.Integer);
                break;
            case RespType.Null:
                WriteLine(output, (byte)'_', []);
                break;
            case RespType.Boolean:
                WriteLine(output, (byte)'#', value.Boolean ? "t"u8 : "f"u8);
                break;
            case RespType.Double:
                Span<byte> text = stackalloc byte[40];
                WriteLine(output, (byte)',', text[..RespWriter.FormatDouble(value.Double, text)]);
                break;
            case RespType.BulkString:
                WriteBulk(output, (byte)'$', [], value.Bytes.Span);
                break;
            case RespType.BulkError:
                WriteBulk(output, (byte)'!', [], value.Bytes.Span);
                break;
            case RespType.VerbatimString:
                WriteBulk(output, (byte)'=', Encoding.ASCII.GetBytes(value.Format + ":"), value.Bytes.Span);
                break;
            case RespType.Array:
                WriteHeader(output, (byte)'*', value.Items.Count);
                WriteItems(output, value);
                break;
            case RespType.Set:
                WriteHeader(output, (byte)'~', value.Items.Count);
                WriteItems(output, value);
                break;
            case RespType.Push:
                WriteHeader(output, (byte)'>', value.Items.Count);
                WriteItems(output, value);
                break;
            case RespType.Map:
                WriteHeader(output, (byte)'%', value.PairCount);
                WriteItems(output, value);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(value), value.Type, "Unknown reply type.");
        }
    }

    /// <summary>The value's wire bytes as a new array (tests and tools).</summary>
    public static byte[] ToArray(RespValue value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteItems(IBufferWriter<byte> output, RespValue aggregate)
    {
        foreach (var item in aggregate.Items)
        {
            Write(output, item);
        }
    }

    private static void WriteHeader(IBufferWriter<byte> output, byte prefix, long number)
    {
        var span = output.GetSpan(24);
        span[0] = prefix;
        Utf8Formatter.TryFormat(number, span[1..], out var written);
        "\r\n"u8.CopyTo(span[(1 + written)..]);
        output.Advance(written + 3);
    }

    private static void WriteLine(IBufferWriter<byte> output, byte prefix, ReadOnlySpan<byte> text)
    {
        var span = output.GetSpan(text.Length + 3);
        span[0] = prefix;
        text.CopyTo(span[1..]);
        "\r\n"u8.CopyTo(span[(1 + text.Length)..]);
        output.Advance(text.Length + 3);
    }

    private static void WriteBulk(IBufferWriter<byte> output, byte prefix, ReadOnlySpan<byte> head, ReadOnlySpan<byte> body)
    {
        WriteHeader(output, prefix, head.Length + body.Length);
        var span = output.GetSpan(head.Length + body.Length + 2);
        head.CopyTo(span);
        body.CopyTo(span[head.Length..]);
        "\r\n"u8.CopyTo(span[(head.Length + body.Length)..]);
        output.Advance(head.Length + body.Length + 2);
    }
}
