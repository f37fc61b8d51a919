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
        ulong tail = 0;
        for (var i = key.Length - 1; i >= 0; i--)
        {
            tail = (tail << 8) | key[i];
        }
        h = Mix(h ^ tail ^ Prime2, Prime1 ^ (ulong)key.Length);
        var folded = (uint)(h ^ (h >> 32));
        return folded == 0 ? 1 : folded;
    }

    private static ulong Mix(ulong a, ulong b)
    {
        var high = Math.BigMul(a, b, out var low);
        return high ^ low;
    }
}
