using System.Buffers;
using System.Buffers.Text;
using Dst.Protocol;

namespace Dst.Cli.Text;

/// <summary>Integers and doubles written as ASCII straight into the output, formatted as the server formats them.</summary>
public static class Numbers
{
    public static void WriteInteger(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        output.Advance(written);
    }

    public static void WriteDouble(IBufferWriter<byte> output, double value)
    {
        var span = output.GetSpan(40);
        output.Advance(RespWriter.FormatDouble(value, span));
    }

    public static void WriteSpaces(IBufferWriter<byte> output, int count)
    {
        var span = output.GetSpan(count)[..count];
        span.Fill((byte)' ');
        output.Advance(count);
    }

    /// <summary>How many decimal digits <paramref name="value"/> (not negative) has.</summary>
    public static int DigitCount(int value)
    {
        var digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }
        return digits;
    }

    /// <summary><paramref name="value"/> right-aligned in <paramref name="width"/> columns, as printf's %*d.</summary>
    public static void WriteAligned(IBufferWriter<byte> output, int value, int width)
    {
        WriteSpaces(output, width - DigitCount(value));
        WriteInteger(output, value);
    }
}
