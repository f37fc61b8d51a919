using System.Buffers;
using System.Text;

namespace Dst.Cli.Text;

/// <summary>
/// Writes bytes as a JSON string literal. Valid UTF-8 passes through; quotes, backslashes and control
/// characters are escaped; a byte that is not part of valid UTF-8 becomes <c>\u00HH</c> so the output
/// is always valid JSON (binary values cannot round-trip through JSON text, which is why --raw exists).
/// </summary>
public static class JsonString
{
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        output.Write("\""u8);
        var start = 0;
        var i = 0;
        while (i < value.Length)
        {
            var b = value[i];
            if (b >= 0x20 && b != (byte)'"' && b != (byte)'\\' && b < 0x80)
            {
                i++;
                continue;
            }
            if (b >= 0x80 && Rune.DecodeFromUtf8(value[i..], out _, out var consumed) == OperationStatus.Done)
            {
                i += consumed;
                continue;
            }
            output.Write(value[start..i]);
            WriteEscape(output, b);
            i++;
            start = i;
        }
        output.Write(value[start..]);
        output.Write("\""u8);
    }

    private static void WriteEscape(IBufferWriter<byte> output, byte b)
    {
        ReadOnlySpan<byte> shortForm = b switch
        {
            (byte)'"' => "\\\""u8,
            (byte)'\\' => "\\\\"u8,
            (byte)'\n' => "\\n"u8,
            (byte)'\r' => "\\r"u8,
            (byte)'\t' => "\\t"u8,
            (byte)'\b' => "\\b"u8,
            (byte)'\f' => "\\f"u8,
            _ => default,
        };
        if (!shortForm.IsEmpty)
        {
            output.Write(shortForm);
            return;
        }
        var span = output.GetSpan(6);
        "\\u00"u8.CopyTo(span);
        span[4] = HexDigit(b >> 4);
        span[5] = HexDigit(b & 0xF);
        output.Advance(6);
    }

    private static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'a' + value - 10);
}
