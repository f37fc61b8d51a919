using System.Buffers.Binary;
using Dst.Commands.Storage;

namespace Dst.Commands.Tests.Storage;

/// <summary>
/// The key hash lays out every replica's table and is written into snapshots (the key-modification
/// buckets), so its values must never change: checked against the byte-at-a-time definition.
/// </summary>
public sealed class KeyHashTests
{
    [Fact]
    public void Hashes_match_the_byte_at_a_time_definition_for_every_length()
    {
        var random = new Random(5);
        for (var length = 0; length <= 80; length++)
        {
            for (var sample = 0; sample < 50; sample++)
            {
                var key = new byte[length];
                random.NextBytes(key);
                Assert.Equal(Reference(key), KeyHash.Compute(key));
            }
        }
    }

    [Fact]
    public void Known_keys_keep_their_hashes()
    {
        // Values of the hash as shipped: a change here would reorder tables and snapshots.
        Assert.Equal(0xA1DBD65Bu, KeyHash.Compute("key:00000001"u8));
        Assert.Equal(0x0B6AF091u, KeyHash.Compute("mylist"u8));
        Assert.Equal(0xD97D110Cu, KeyHash.Compute(""u8));
    }

    /// <summary>The hash as first written: the tail read one byte at a time.</summary>
    private static uint Reference(ReadOnlySpan<byte> key)
    {
        const ulong seed = 0x9E3779B97F4A7C15, prime1 = 0xA0761D6478BD642F, prime2 = 0xE7037ED1A0B428DB;
        static ulong Mix(ulong a, ulong b) => Math.BigMul(a, b, out var low) ^ low;
        var h = seed ^ ((ulong)key.Length * prime1);
        while (key.Length >= 8)
        {
            h = Mix(h ^ BinaryPrimitives.ReadUInt64LittleEndian(key) ^ prime1, prime2 ^ h);
            key = key[8..];
        }
        ulong tail = 0;
        for (var i = key.Length - 1; i >= 0; i--)
        {
            tail = (tail << 8) | key[i];
        }
        h = Mix(h ^ tail ^ prime2, prime1 ^ (ulong)key.Length);
        var folded = (uint)(h ^ (h >> 32));
        return folded == 0 ? 1 : folded;
    }
}
