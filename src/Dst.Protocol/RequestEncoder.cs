using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Dst.Protocol;

/// <summary>
/// Writes requests as RESP multibulks, the form every client sends: used by our client library,
/// tests, and the proxy that forwards a parsed command to another node.
/// </summary>
public static class RequestEncoder
{
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<string> args)
    {
        WriteHeader(output, (byte)'*', args.Length);
        foreach (var arg in args)
        {
            var length = Encoding.UTF8.GetByteCount(arg);
            WriteHeader(output, (byte)'$', length);
            var span = output.GetSpan(length + 2);
            Encoding.UTF8.GetBytes(arg, span);
            "\r\n"u8.CopyTo(span[length..]);
            output.Advance(length + 2);
        }
    }

    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<ReadOnlyMemory<byte>> args)
    {
        WriteHeader(output, (byte)'*', args.Length);
        foreach (var arg in args)
        {
            WriteBulk(output, arg.Span);
        }
    }

    /// <summary>A parsed command re-encoded for forwarding.</summary>
    public static void Write(IBufferWriter<byte> output, CommandArgs args)
    {
        WriteHeader(output, (byte)'*', args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            WriteBulk(output, args[i]);
        }
    }

    private static void WriteBulk(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        WriteHeader(output, (byte)'$', value.Length);
        var span = output.GetSpan(value.Length + 2);
        value.CopyTo(span);
        "\r\n"u8.CopyTo(span[value.Length..]);
        output.Advance(value.Length + 2);
    }

    private static void WriteHeader(IBufferWriter<byte> output, byte prefix, int count)
    {
        var span = output.GetSpan(16);
        span[0] = prefix;
        Utf8Formatter.TryFormat(count, span[1..], out var written);
        "\r\n"u8.CopyTo(span[(1 + written)..]);
        output.Advance(written + 3);
    }
}
