namespace Dst.Protocol;

/// <summary>
/// Unsigned LEB128: 7 bits a byte, low bits first; used for lengths in <see cref="CommandArgs"/>, log
/// entries, snapshots and packed strings.
/// </summary>
public static class Varint
{
    public const int MaxLength64 = 10;

    public const int MaxLength32 = 5;

    public static int SizeOf(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    public static int Write(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Reads a varint; returns the bytes consumed, or 0 when the input is truncated or over-long.</summary>
    public static int TryRead(ReadOnlySpan<byte> source, out ulong value)
    {
        value = 0;
        for (int i = 0, shift = 0; i < source.Length && i < MaxLength64; i++, shift += 7)
        {
            var b = source[i];
            if (shift == 63 && b > 1)
            {
                return 0;
            }
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return i + 1;
            }
        }
        return 0;
    }
}
