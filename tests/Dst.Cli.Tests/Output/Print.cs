using System.Buffers;
using System.Text;
using Dst.Cli.Output;
using Dst.Protocol;

namespace Dst.Cli.Tests.Output;

/// <summary>Shorthands for building replies and reading what a printer made of them.</summary>
internal static class Print
{
    public static string With(IReplyPrinter printer, RespValue reply)
    {
        var output = new ArrayBufferWriter<byte>();
        printer.Print(reply, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    public static RespValue Bulk(string text) => RespValue.BulkString(text);

    public static RespValue Int(long value) => RespValue.FromInteger(value);

    public static RespValue Array(params RespValue[] items) => RespValue.Array(items);

    public static RespValue Map(params RespValue[] keysAndValues) => RespValue.Map(keysAndValues);
}
