using System.Buffers.Binary;
using System.Numerics;

namespace Dst.Storage;

/// <summary>
/// CRC32C (Castagnoli) over byte spans, on top of <see cref="BitOperations.Crc32C(uint, ulong)"/>,
/// which uses the CPU's crc32 instruction where there is one. Streaming use:
/// <c>state = Update(Initial, a); state = Update(state, b); crc = Finish(state)</c>.
/// </summary>
public static class Crc32C
{
    public const uint Initial = uint.MaxValue;

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(Initial, data));

    public static uint Finish(uint state) => ~state;

    public static uint Update(uint state, ReadOnlySpan<byte> data)
    {
        while (data.Length >= sizeof(ulong))
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }
        if (data.Length >= sizeof(uint))
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt32LittleEndian(data));
            data = data[sizeof(uint)..];
        }
        foreach (var b in data)
        {
            state = BitOperations.Crc32C(state, b);
        }
        return state;
    }
}
