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
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> value) =>
        EscapedText.WriteQuoted(output, value, static rune => rune.Value >= 0x20 && rune.Value != '"' && rune.Value != '\\', WriteEscape);

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
        if (shortForm.IsEmpty)
        {
            EscapedText.WriteHex(output, "\\u00"u8, b);
        }
        else
        {
            output.Write(shortForm);
        }
    }
}
