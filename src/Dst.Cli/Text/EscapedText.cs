using System.Buffers;
using System.Text;

namespace Dst.Cli.Text;

/// <summary>
/// The loop shared by the quoted forms (redis-cli's and JSON's): copies bytes between double quotes,
/// passing every UTF-8 character <c>isPlain</c> accepts through untouched and handing every other
/// byte (including each byte of invalid UTF-8) to <c>writeEscape</c>.
/// </summary>
internal static class EscapedText
{
    public static void WriteQuoted(IBufferWriter<byte> output, ReadOnlySpan<byte> value, Func<Rune, bool> isPlain, Action<IBufferWriter<byte>, byte> writeEscape)
    {
        output.Write("\""u8);
        var start = 0;
        var i = 0;
        while (i < value.Length)
        {
            if (Rune.DecodeFromUtf8(value[i..], out var rune, out var consumed) == OperationStatus.Done && isPlain(rune))
            {
                i += consumed;
                continue;
            }
            output.Write(value[start..i]);
            writeEscape(output, value[i]);
            i++;
            start = i;
        }
        output.Write(value[start..]);
        output.Write("\""u8);
    }

    /// <summary>Writes <paramref name="prefix"/> and the byte as two lowercase hex digits (<c>\x</c>ff, <c>\u00</c>ff).</summary>
    public static void WriteHex(IBufferWriter<byte> output, ReadOnlySpan<byte> prefix, byte value)
    {
        var span = output.GetSpan(prefix.Length + 2);
        prefix.CopyTo(span);
        span[prefix.Length] = HexDigit(value >> 4);
        span[prefix.Length + 1] = HexDigit(value & 0xF);
        output.Advance(prefix.Length + 2);
    }

    private static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'a' + value - 10);
}
