using System.Buffers;

namespace Dst.Commands;

/// <summary>
/// An output that forgets what is written: replies produced while replaying the log or on a
/// follower, where no client waits. Hands out one reused buffer, grown to the largest request.
/// </summary>
internal sealed class DiscardBufferWriter : IBufferWriter<byte>
{
    private byte[] _buffer = new byte[256];

    public void Advance(int count)
    {
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint);

    private byte[] Reserve(int sizeHint)
    {
        if (sizeHint > _buffer.Length)
        {
            _buffer = new byte[Math.Max(sizeHint, _buffer.Length * 2)];
        }
        return _buffer;
    }
}
