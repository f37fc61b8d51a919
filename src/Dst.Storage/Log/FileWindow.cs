using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Dst.Storage;

/// <summary>
/// Sequential-ish reads of a file through one reusable buffer: asking for a range already in the
/// buffer costs nothing, otherwise the buffer is refilled from that offset. Used by recovery, which
/// walks every record of a segment and then may probe for records past a damaged one.
/// </summary>
internal sealed class FileWindow : IDisposable
{
    private readonly SafeFileHandle _handle;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
    private long _start;
    private int _filled;

    public FileWindow(SafeFileHandle handle, long length)
    {
        _handle = handle;
        Length = length;
    }

    public long Length { get; }

    /// <summary>The bytes [offset, offset + count), or fewer if the file ends first.</summary>
    public ReadOnlySpan<byte> Get(long offset, int count)
    {
        if (offset < _start || offset + count > _start + _filled)
        {
            Refill(offset, count);
        }
        var available = (int)Math.Min(count, _start + _filled - offset);
        return _buffer.AsSpan((int)(offset - _start), Math.Max(available, 0));
    }

    private void Refill(long offset, int count)
    {
        if (count > _buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(count);
        }
        _start = offset;
        _filled = FileIo.ReadAtMost(_handle, _buffer, offset);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
