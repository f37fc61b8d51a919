using Dst.Cluster.Tests.Support;
using Dst.Cluster.Transport;

namespace Dst.Cluster.Tests.Codec;

/// <summary>
/// Seeded fuzzing: cut or damaged encodings either decode to some message or are refused with
/// <see cref="FrameFormatException"/>; nothing else escapes and no decode allocates out of proportion.
/// </summary>
public sealed class CodecFuzzTests
{
    private static readonly CodecLimits Limits = CodecLimits.Default;

    [Fact]
    public void Every_truncation_is_refused()
    {
        var messages = new RandomMessages(seed: 3);
        for (var m = 0; m < 15; m++)
        {
            var encoded = Encode(messages.Next());
            for (var length = 0; length < encoded.Length; length++)
            {
                var cut = encoded.AsMemory(0, length);
                Assert.Throws<FrameFormatException>(() => RaftMessageCodec.Decode(cut, Limits));
            }
        }
    }

    [Fact]
    public void Mutated_encodings_decode_or_are_refused_and_allocate_in_proportion()
    {
        var messages = new RandomMessages(seed: 5);
        var random = new Random(11);
        var decoded = 0;
        var refused = 0;
        for (var i = 0; i < 5_000; i++)
        {
            var bytes = Encode(messages.Next());
            Mutate(bytes, random);
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                RaftMessageCodec.Decode(bytes, Limits);
                decoded++;
            }
            catch (FrameFormatException)
            {
                refused++;
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            // Arrays of entries and ids are bounded by the input length; a refusal also builds its message text.
            Assert.True(allocated < (bytes.Length * 48L) + 16_384, $"allocated {allocated} bytes decoding {bytes.Length}");
        }
        Assert.True(decoded > 0 && refused > 0, $"decoded {decoded}, refused {refused}: the fuzzer should hit both outcomes");
    }

    [Fact]
    public void Random_bytes_never_escape_as_anything_but_a_format_error()
    {
        var random = new Random(17);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(64)];
            random.NextBytes(bytes);
            if (bytes.Length > 0 && random.Next(2) == 0)
            {
                bytes[0] = RaftMessageCodec.Version;
            }
            try
            {
                RaftMessageCodec.Decode(bytes, Limits);
            }
            catch (FrameFormatException)
            {
            }
        }
    }

    private static void Mutate(byte[] bytes, Random random)
    {
        var flips = random.Next(1, 4);
        for (var f = 0; f < flips; f++)
        {
            var at = random.Next(bytes.Length);
            bytes[at] = random.Next(3) switch
            {
                0 => (byte)(bytes[at] ^ (1 << random.Next(8))),
                1 => 0xFF,
                _ => (byte)random.Next(256),
            };
        }
    }

    private static byte[] Encode(Dst.Raft.Message message)
    {
        var encoded = new byte[RaftMessageCodec.GetEncodedLength(message)];
        RaftMessageCodec.Encode(message, encoded);
        return encoded;
    }
}
