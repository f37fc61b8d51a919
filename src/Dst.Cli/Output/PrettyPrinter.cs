using System.Buffers;
using Dst.Cli.Text;
using Dst.Protocol;

namespace Dst.Cli.Output;

/// <summary>
/// redis-cli's readable form: <c>"v1"</c>, <c>OK</c>, <c>(integer) 3</c>, <c>(double) 1.5</c>,
/// <c>(nil)</c>, <c>(true)</c>, <c>(error) ERR ...</c>; arrays as numbered lists (<c>1) "a"</c>) whose
/// nested items are indented under their parent, sets numbered <c>1~</c>, maps <c>1# "k" => "v"</c>.
/// The map rule: a map whose keys and values are all single values (no nested aggregate) is printed
/// on one line, <c>{"k1" : "v1", "k2" : 3}</c>, when that line is at most <see cref="InlineMapWidth"/>
/// bytes; any other map is printed as <c>1# key => value</c> lines. Inside the one-line form strings
/// are quoted and numbers, booleans and nil appear bare (3, 1.5, true, nil).
/// </summary>
public sealed class PrettyPrinter : IReplyPrinter
{
    public const int InlineMapWidth = 80;

    // Reused for measuring a map's one-line form before choosing it.
    private readonly ArrayBufferWriter<byte> _inlineScratch = new(InlineMapWidth * 2);

    public void Print(RespValue reply, IBufferWriter<byte> output)
    {
        WriteValue(reply, 0, output);
        output.Write("\n"u8);
    }

    /// <summary>Writes <paramref name="value"/> without its final newline; continuation lines start with <paramref name="indent"/> spaces.</summary>
    private void WriteValue(RespValue value, int indent, IBufferWriter<byte> output)
    {
        switch (value.Type)
        {
            case RespType.Array or RespType.Set or RespType.Push or RespType.Map:
                WriteAggregate(value, indent, output);
                break;
            case RespType.SimpleError or RespType.BulkError:
                output.Write("(error) "u8);
                output.Write(value.Bytes.Span);
                break;
            case RespType.Integer:
                output.Write("(integer) "u8);
                Numbers.WriteInteger(output, value.Integer);
                break;
            case RespType.Double:
                output.Write("(double) "u8);
                Numbers.WriteDouble(output, value.Double);
                break;
            case RespType.BigNumber:
                output.Write("(big number) "u8);
                output.Write(value.Bytes.Span);
                break;
            case RespType.Boolean:
                output.Write(value.Boolean ? "(true)"u8 : "(false)"u8);
                break;
            case RespType.Null:
                output.Write("(nil)"u8);
                break;
            case RespType.BulkString:
                QuotedText.Write(output, value.Bytes.Span);
                break;
            default:
                // Status lines and verbatim text (INFO in RESP3) are shown as they are, as redis-cli does.
                output.Write(value.Bytes.Span);
                break;
        }
    }

    private void WriteAggregate(RespValue value, int indent, IBufferWriter<byte> output)
    {
        if (value.Items.Count == 0)
        {
            output.Write(value.Type switch
            {
                RespType.Map => "(empty hash)"u8,
                RespType.Set => "(empty set)"u8,
                RespType.Push => "(empty push)"u8,
                _ => "(empty array)"u8,
            });
            return;
        }
        if (value.Type == RespType.Map && TryWriteInlineMap(value, output))
        {
            return;
        }
        var isMap = value.Type == RespType.Map;
        var entries = isMap ? value.PairCount : value.Items.Count;
        var width = Numbers.DigitCount(entries);
        var childIndent = indent + width + 2;
        var marker = value.Type switch
        {
            RespType.Map => (byte)'#',
            RespType.Set => (byte)'~',
            _ => (byte)')',
        };
        for (var entry = 0; entry < entries; entry++)
        {
            if (entry > 0)
            {
                output.Write("\n"u8);
                Numbers.WriteSpaces(output, indent);
            }
            Numbers.WriteAligned(output, entry + 1, width);
            var span = output.GetSpan(2);
            span[0] = marker;
            span[1] = (byte)' ';
            output.Advance(2);
            if (isMap)
            {
                WriteValue(value.Items[2 * entry], childIndent, output);
                output.Write(" => "u8);
                WriteValue(value.Items[(2 * entry) + 1], childIndent, output);
            }
            else
            {
                WriteValue(value.Items[entry], childIndent, output);
            }
        }
    }

    private bool TryWriteInlineMap(RespValue map, IBufferWriter<byte> output)
    {
        foreach (var item in map.Items)
        {
            if (item.Type is RespType.Array or RespType.Set or RespType.Push or RespType.Map)
            {
                return false;
            }
        }
        _inlineScratch.ResetWrittenCount();
        _inlineScratch.Write("{"u8);
        for (var i = 0; i < map.Items.Count; i += 2)
        {
            if (i > 0)
            {
                _inlineScratch.Write(", "u8);
            }
            WriteInlineScalar(map.Items[i], _inlineScratch);
            _inlineScratch.Write(" : "u8);
            WriteInlineScalar(map.Items[i + 1], _inlineScratch);
            if (_inlineScratch.WrittenCount > InlineMapWidth)
            {
                return false;
            }
        }
        _inlineScratch.Write("}"u8);
        if (_inlineScratch.WrittenCount > InlineMapWidth)
        {
            return false;
        }
        output.Write(_inlineScratch.WrittenSpan);
        return true;
    }

    private static void WriteInlineScalar(RespValue value, IBufferWriter<byte> output)
    {
        switch (value.Type)
        {
            case RespType.Integer:
                Numbers.WriteInteger(output, value.Integer);
                break;
            case RespType.Double:
                Numbers.WriteDouble(output, value.Double);
                break;
            case RespType.BigNumber:
                output.Write(value.Bytes.Span);
                break;
            case RespType.Boolean:
                output.Write(value.Boolean ? "true"u8 : "false"u8);
                break;
            case RespType.Null:
                output.Write("nil"u8);
                break;
            case RespType.SimpleError or RespType.BulkError:
                output.Write("(error) "u8);
                QuotedText.Write(output, value.Bytes.Span);
                break;
            default:
                QuotedText.Write(output, value.Bytes.Span);
                break;
        }
    }
}
