using System.Buffers;
using System.Text;

namespace Dst.Cli.Text;

/// <summary>
/// A string shown the way redis-cli shows it (its <c>sdscatrepr</c>): in double quotes, with
/// <c>\\ \" \n \r \t \a \b</c> escaped and other unprintable bytes as <c>\xHH</c>. One deliberate
/// difference: printable non-ASCII UTF-8 ("日本", "é") is shown as text, not as hex escapes.
/// </summary>
public static class QuotedText
{
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        output.Write("\""u8);
        var start = 0;
        var i = 0;
        while (i < value.Length)
        {
            var b = value[i];
            if (b is >= 0x20 and < 0x7F && b != (byte)'"' && b != (byte)'\\')
            {
                i++;
                continue;
            }
            if (b >= 0x80 && Rune.DecodeFromUtf8(value[i..], out var rune, out var consumed) == OperationStatus.Done && !Rune.IsControl(rune))
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
            (byte)'\a' => "\\a"u8,
            (byte)'\b' => "\\b"u8,
            _ => default,
        };
        if (!shortForm.IsEmpty)
        {
            output.Write(shortForm);
            return;
        }
        var span = output.GetSpan(4);
        "\\x"u8.CopyTo(span);
        span[2] = HexDigit(b >> 4);
        span[3] = HexDigit(b & 0xF);
        output.Advance(4);
    }

    private static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'a' + value - 10);
}
