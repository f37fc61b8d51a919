using System.Buffers;
using System.Text;
using Dst.Cli.Options;
using Dst.Protocol;

namespace Dst.Cli.Output;

/// <summary>
/// Where replies and messages go: standard output, through one reused buffer. In the pretty format
/// the text reports redis-cli prints verbatim (INFO, CLIENT LIST, CLUSTER NODES, ...) are printed raw
/// so their lines stay readable; errors from them still print as <c>(error) ...</c>.
/// </summary>
public sealed class ReplyOutput(Stream stdout, OutputFormat format)
{
    private readonly Stream _stdout = stdout;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly IReplyPrinter _printer = ReplyPrinters.For(format);
    private readonly RawPrinter _raw = new();

    public OutputFormat Format { get; } = format;

    public void WriteReply(RespValue reply, IReadOnlyList<byte[]> command)
    {
        var printer = Format == OutputFormat.Pretty && !reply.IsError && IsTextReport(command) ? _raw : _printer;
        printer.Print(reply, _buffer);
        Flush();
    }

    public void WriteLine(string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        var span = _buffer.GetSpan(length + 1);
        Encoding.UTF8.GetBytes(text, span);
        span[length] = (byte)'\n';
        _buffer.Advance(length + 1);
        Flush();
    }

    private void Flush()
    {
        _stdout.Write(_buffer.WrittenSpan);
        _stdout.Flush();
        _buffer.ResetWrittenCount();
    }

    /// <summary>The commands whose replies redis-cli prints raw even on a terminal.</summary>
    private static bool IsTextReport(IReadOnlyList<byte[]> command)
    {
        var name = command[0];
        if (Ascii.EqualsIgnoreCase(name, "info"u8) || Ascii.EqualsIgnoreCase(name, "lolwut"u8))
        {
            return true;
        }
        if (command.Count < 2)
        {
            return false;
        }
        var sub = command[1];
        return (Ascii.EqualsIgnoreCase(name, "client"u8) && (Ascii.EqualsIgnoreCase(sub, "list"u8) || Ascii.EqualsIgnoreCase(sub, "info"u8)))
            || (Ascii.EqualsIgnoreCase(name, "cluster"u8) && (Ascii.EqualsIgnoreCase(sub, "nodes"u8) || Ascii.EqualsIgnoreCase(sub, "info"u8)))
            || (Ascii.EqualsIgnoreCase(name, "memory"u8) && (Ascii.EqualsIgnoreCase(sub, "doctor"u8) || Ascii.EqualsIgnoreCase(sub, "malloc-stats"u8)))
            || (Ascii.EqualsIgnoreCase(name, "latency"u8) && Ascii.EqualsIgnoreCase(sub, "doctor"u8));
    }
}
