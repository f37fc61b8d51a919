using System.Buffers;
using System.Text;

namespace Dst.Cli.Parsing;

/// <summary>
/// The bytes of the argument being read. Arguments are bytes, not text: <c>"\xff"</c> sends the
/// single byte 0xFF, as redis-cli does, while typed characters are sent as UTF-8.
/// </summary>
internal sealed class TokenBuffer
{
    private readonly ArrayBufferWriter<byte> _bytes = new(64);

    public int Length => _bytes.WrittenCount;

    /// <summary>The buffer as a writer, for helpers that render into it (JSON text for arrays).</summary>
    public IBufferWriter<byte> Writer => _bytes;

    public ReadOnlySpan<byte> Written => _bytes.WrittenSpan;

    public void AppendByte(byte value)
    {
        _bytes.GetSpan(1)[0] = value;
        _bytes.Advance(1);
    }

    public void AppendBytes(ReadOnlySpan<byte> value) => _bytes.Write(value);

    public void AppendText(ReadOnlySpan<char> text)
    {
        var written = Encoding.UTF8.GetBytes(text, _bytes.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
        _bytes.Advance(written);
    }

    /// <summary>The finished argument; the buffer is emptied for the next one.</summary>
    public byte[] Take()
    {
        var argument = _bytes.WrittenSpan.ToArray();
        _bytes.ResetWrittenCount();
        return argument;
    }
}
