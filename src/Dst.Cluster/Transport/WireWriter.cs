using System.Numerics;

namespace Dst.Cluster.Transport;

/// <summary>
/// Writes bytes and unsigned LEB128 varints into a span the caller sized exactly beforehand
/// (with <see cref="VarintLength"/>), so encoding never grows or copies a buffer.
/// </summary>
internal ref struct WireWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;
    private int _position;

    public readonly int Written => _position;

    /// <summary>Bytes <paramref name="value"/> takes as a varint: one per started group of 7 bits.</summary>
    public static int VarintLength(ulong value) => (BitOperations.Log2(value | 1) / 7) + 1;

    public void WriteByte(byte value) => _destination[_position++] = value;

    public void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _destination[_position++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _destination[_position++] = (byte)value;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_destination[_position..]);
        _position += bytes.Length;
    }
}
