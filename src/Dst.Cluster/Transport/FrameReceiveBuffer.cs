namespace Dst.Cluster.Transport;

/// <summary>
/// Received bytes not yet taken as frames. Many small frames arrive in one receive; a frame's payload
/// is copied into a fresh array (decoded entries alias it), allocated only once its header is read and
/// its length checked, so a peer cannot make a node allocate more than the limit it reads with.
/// </summary>
internal sealed class FrameReceiveBuffer(int size)
{
    private readonly byte[] _buffer = new byte[size];
    private int _start;
    private int _end;

    // The frame whose header was read and whose payload is still arriving.
    private byte[]? _payload;
    private int _payloadFilled;
    private uint _payloadChecksum;

    /// <summary>Bytes received past every complete frame and past the frame being assembled.</summary>
    public int Buffered => _end - _start;

    /// <summary>Whether a frame has begun and not ended: a connection closing now ends mid-frame.</summary>
    public bool InsideFrame => _payload is not null || Buffered > 0;

    /// <summary>Where the next receive writes; never empty once <see cref="TryTake"/> returned false.</summary>
    public Memory<byte> FreeSpace
    {
        get
        {
            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }
            return _buffer.AsMemory(_end);
        }
    }

    /// <summary>Counts in <paramref name="count"/> bytes just received into <see cref="FreeSpace"/>.</summary>
    public void Advance(int count) => _end += count;

    /// <summary>
    /// Takes the next complete frame; false when more bytes are needed.
    /// </summary>
    /// <exception cref="FrameFormatException">Oversize, empty, corrupt or of an unknown kind.</exception>
    public bool TryTake(int maxPayload, out Frame frame)
    {
        frame = default;
        if (_payload is null)
        {
            if (_end - _start < FrameHeader.Size)
            {
                return false;
            }
            var length = FrameHeader.ReadLength(_buffer.AsSpan(_start, FrameHeader.Size), maxPayload, out _payloadChecksum);
            _start += FrameHeader.Size;
            _payload = new byte[length];
            _payloadFilled = 0;
        }
        var copied = Math.Min(_end - _start, _payload.Length - _payloadFilled);
        _buffer.AsSpan(_start, copied).CopyTo(_payload.AsSpan(_payloadFilled));
        _start += copied;
        _payloadFilled += copied;
        if (_payloadFilled < _payload.Length)
        {
            return false;
        }
        var payload = _payload;
        _payload = null;
        FrameHeader.VerifyChecksum(payload, _payloadChecksum);
        var kind = (FrameKind)payload[0];
        if (!Enum.IsDefined(kind))
        {
            throw new FrameFormatException($"unknown frame kind {payload[0]}");
        }
        frame = new Frame(kind, payload.AsMemory(1));
        return true;
    }
}
