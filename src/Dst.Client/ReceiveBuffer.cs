using System.Buffers;

namespace Dst.Client;

/// <summary>
/// Bytes received but not yet parsed, in one pooled array that is compacted and grown only
/// when full. A reply larger than the buffer makes it grow to fit.
/// </summary>
internal sealed class ReceiveBuffer : IDisposable
{
    private byte[] _bytes;
    private int _start;
    private int _end;

    public ReceiveBuffer(int initialSize)
    {
        _bytes = ArrayPool<byte>.Shared.Rent(initialSize);
    }

    public ReadOnlySequence<byte> Unread => new(_bytes, _start, _end - _start);

    public void Consume(long count)
    {
        _start += checked((int)count);
        if (_start == _end)
        {
            // Everything parsed: receive into the front again instead of creeping toward the end.
            _start = 0;
            _end = 0;
        }
    }

    /// <summary>Free space to receive into, making room by compacting, then by growing.</summary>
    public Memory<byte> GetFreeSpace()
    {
        if (_end == _bytes.Length)
        {
            var unread = _end - _start;
            if (_start == 0)
            {
                var grown = ArrayPool<byte>.Shared.Rent(_bytes.Length * 2);
                _bytes.AsSpan(0, unread).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(_bytes);
                _bytes = grown;
            }
            else
            {
                _bytes.AsSpan(_start, unread).CopyTo(_bytes);
            }
            _start = 0;
            _end = unread;
        }
        return _bytes.AsMemory(_end);
    }

    public void Commit(int received) => _end += received;

    public void Dispose()
    {
        var bytes = Interlocked.Exchange(ref _bytes, []);
        if (bytes.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
