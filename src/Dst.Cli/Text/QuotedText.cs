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
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> value) =>
        EscapedText.WriteQuoted(output, value, static rune => !Rune.IsControl(rune) && rune.Value != '"' && rune.Value != '\\', WriteEscape);

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
        if (shortForm.IsEmpty)
        {
            EscapedText.WriteHex(output, "\\x"u8, b);
        }
        else
        {
            output.Write(shortForm);
        }
    }
}
