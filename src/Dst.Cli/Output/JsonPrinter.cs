using System.Buffers;
using Dst.Cli.Text;
using Dst.Protocol;

namespace Dst.Cli.Output;

/// <summary>
/// One JSON value per reply, on one line: maps as objects (a key that is not a string uses its text),
/// arrays, sets and pushes as arrays, nil as null, booleans, integers and big numbers as numbers,
/// doubles as numbers (inf, -inf and nan, which JSON lacks, as the strings "inf", "-inf", "nan"),
/// strings as strings, and an error as <c>{"error": "ERR ..."}</c>.
/// </summary>
public sealed class JsonPrinter : IReplyPrinter
{
    public void Print(RespValue reply, IBufferWriter<byte> output)
    {
        WriteValue(reply, output);
        output.Write("\n"u8);
    }

    private static void WriteValue(RespValue value, IBufferWriter<byte> output)
    {
        switch (value.Type)
        {
            case RespType.Array or RespType.Set or RespType.Push:
                output.Write("["u8);
                for (var i = 0; i < value.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Write(","u8);
                    }
                    WriteValue(value.Items[i], output);
                }
                output.Write("]"u8);
                break;
            case RespType.Map:
                output.Write("{"u8);
                for (var i = 0; i < value.Items.Count; i += 2)
                {
                    if (i > 0)
                    {
                        output.Write(","u8);
                    }
                    WriteKey(value.Items[i], output);
                    output.Write(":"u8);
                    WriteValue(value.Items[i + 1], output);
                }
                output.Write("}"u8);
                break;
            case RespType.SimpleError or RespType.BulkError:
                output.Write("{\"error\":"u8);
                JsonString.Write(output, value.Bytes.Span);
                output.Write("}"u8);
                break;
            case RespType.Integer:
                Numbers.WriteInteger(output, value.Integer);
                break;
            case RespType.Double when double.IsFinite(value.Double):
                Numbers.WriteDouble(output, value.Double);
                break;
            case RespType.Double:
                output.Write("\""u8);
                Numbers.WriteDouble(output, value.Double);
                output.Write("\""u8);
                break;
            case RespType.BigNumber:
                output.Write(value.Bytes.Span);
                break;
            case RespType.Boolean:
                output.Write(value.Boolean ? "true"u8 : "false"u8);
                break;
            case RespType.Null:
                output.Write("null"u8);
                break;
            default:
                JsonString.Write(output, value.Bytes.Span);
                break;
        }
    }

    /// <summary>JSON keys are strings: a string key as itself, any other key as its JSON text in quotes.</summary>
    private static void WriteKey(RespValue key, IBufferWriter<byte> output)
    {
        if (key.Type is RespType.BulkString or RespType.SimpleString or RespType.VerbatimString)
        {
            JsonString.Write(output, key.Bytes.Span);
            return;
        }
        var text = new ArrayBufferWriter<byte>();
        WriteValue(key, text);
        JsonString.Write(output, text.WrittenSpan);
    }
}
