using System.Buffers.Binary;

namespace Dst.Commands.Storage;

/// <summary>
/// The key hash of the keyspace table. Fixed constants, never a per-process seed: every replica
/// lays its table out identically, so snapshots and SCAN cursors agree across nodes.
/// A multiply-fold mix (wyhash style) over 8-byte words keeps short keys to a handful of cycles.
/// </summary>
internal static class KeyHash
{
    private const ulong Seed = 0x9E3779B97F4A7C15;
    private const ulong Prime1 = 0xA0761D6478BD642F;
    private const ulong Prime2 = 0xE7037ED1A0B428DB;

    /// <summary>A non-zero 32-bit hash (zero marks an empty table slot).</summary>
    public static uint Compute(ReadOnlySpan<byte> key)
    {
        var h = Seed ^ ((ulong)key.Length * Prime1);
        while (key.Length >= 8)
        {
            h = Mix(h ^ BinaryPrimitives.ReadUInt64LittleEndian(key) ^ Prime1, Prime2 ^ h);
            key = key[8..];
        }
        h = Mix(h ^ Tail(key) ^ Prime2, Prime1 ^ (ulong)key.Length);
        var folded = (uint)(h ^ (h >> 32));
        return folded == 0 ? 1 : folded;
    }

    /// <summary>
    /// The last 0-7 bytes as a little-endian integer, from two overlapping loads instead of a byte
    /// loop: the bytes both loads hold land on the same bits, so ORing them changes nothing.
    /// </summary>
    private static ulong Tail(ReadOnlySpan<byte> rest)
    {
        var length = rest.Length;
        if (length >= 4)
        {
            ulong low = BinaryPrimitives.ReadUInt32LittleEndian(rest);
            ulong high = BinaryPrimitives.ReadUInt32LittleEndian(rest[(length - 4)..]);
            return low | (high << (8 * (length - 4)));
        }
        if (length == 0)
        {
            return 0;
        }
        var middle = length / 2;
        return rest[0] | ((ulong)rest[middle] << (8 * middle)) | ((ulong)rest[length - 1] << (8 * (length - 1)));
    }

    private static ulong Mix(ulong a, ulong b)
    {
        var high = Math.BigMul(a, b, out var low);
        return high ^ low;
    }
}
