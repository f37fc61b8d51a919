using System.Buffers;
using Dst.Cli.Text;
using Dst.Protocol;

namespace Dst.Cli.Output;

/// <summary>
/// redis-cli's --raw: values only, no quotes or type tags. Strings are written byte for byte, nil
/// writes nothing, items of arrays and sets go one per line, a map's pairs one per line as
/// "key value". Booleans keep redis-cli's (true)/(false). Each reply ends with one newline.
/// </summary>
public sealed class RawPrinter : IReplyPrinter
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
                for (var i = 0; i < value.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Write("\n"u8);
                    }
                    WriteValue(value.Items[i], output);
                }
                break;
            case RespType.Map:
                for (var i = 0; i < value.Items.Count; i += 2)
                {
                    if (i > 0)
                    {
                        output.Write("\n"u8);
                    }
                    WriteValue(value.Items[i], output);
                    output.Write(" "u8);
                    WriteValue(value.Items[i + 1], output);
                }
                break;
            case RespType.Integer:
                Numbers.WriteInteger(output, value.Integer);
                break;
            case RespType.Double:
                Numbers.WriteDouble(output, value.Double);
                break;
            case RespType.Boolean:
                output.Write(value.Boolean ? "(true)"u8 : "(false)"u8);
                break;
            case RespType.Null:
                break;
            default:
                output.Write(value.Bytes.Span);
                break;
        }
    }
}
