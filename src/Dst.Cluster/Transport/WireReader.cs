namespace Dst.Cluster.Transport;

/// <summary>
/// Reads what <see cref="WireWriter"/> wrote, checking every read against the bytes left. Byte
/// runs are returned as slices of the input memory (no copy), so decoded entries alias the frame.
/// Field names are passed only to the throw path, so a good frame costs no strings.
/// </summary>
internal ref struct WireReader(ReadOnlyMemory<byte> source)
{
    private const int MaxVarintBytes = 10;

    private readonly ReadOnlyMemory<byte> _source = source;
    private readonly ReadOnlySpan<byte> _span = source.Span;
    private int _position;

    public readonly int Remaining => _span.Length - _position;

    public byte ReadByte(string field)
    {
        if (_position >= _span.Length)
        {
            throw Truncated(field);
        }
        return _span[_position++];
    }

    public ulong ReadVarint(string field)
    {
        ulong value = 0;
        for (var i = 0; i < MaxVarintBytes; i++)
        {
            var b = ReadByte(field);
            // The tenth byte may only hold the top bit of a 64-bit value.
            if (i == MaxVarintBytes - 1 && b > 1)
            {
                throw new FrameFormatException($"{field}: varint overflows 64 bits");
            }
            value |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                return value;
            }
        }
        throw new FrameFormatException($"{field}: varint longer than {MaxVarintBytes} bytes");
    }

    /// <summary>
    /// Reads a count of items and checks it against <paramref name="limit"/> and against the bytes
    /// left (each item takes at least <paramref name="minItemBytes"/>) before anything is allocated.
    /// </summary>
    public int ReadCount(string field, int limit, int minItemBytes)
    {
        var count = ReadVarint(field);
        if (count > (ulong)limit)
        {
            throw new FrameFormatException($"{field}: {count} exceeds the limit of {limit}");
        }
        if (count * (ulong)minItemBytes > (ulong)Remaining)
        {
            throw new FrameFormatException($"{field}: {count} items cannot fit in the {Remaining} bytes left");
        }
        return (int)count;
    }

    /// <summary>Reads a length-prefixed byte run as a slice of the input.</summary>
    public ReadOnlyMemory<byte> ReadLengthPrefixed(string field, int limit)
    {
        var length = ReadVarint(field);
        if (length > (ulong)limit)
        {
            throw new FrameFormatException($"{field}: length {length} exceeds the limit of {limit}");
        }
        if (length > (ulong)Remaining)
        {
            throw Truncated(field);
        }
        var slice = length == 0 ? ReadOnlyMemory<byte>.Empty : _source.Slice(_position, (int)length);
        _position += (int)length;
        return slice;
    }

    public readonly void EnsureEnd(string what)
    {
        if (Remaining != 0)
        {
            throw new FrameFormatException($"{what}: {Remaining} unexpected bytes after the end");
        }
    }

    private readonly FrameFormatException Truncated(string field) =>
        new($"{field}: truncated at byte {_position} of {_span.Length}");
}
