using System.Buffers.Binary;
using Dst.Cluster.Transport;

namespace Dst.Cluster.Tests.Transport;

/// <summary>
/// <see cref="FrameReceiveBuffer"/>: frames come out whole and in order however the bytes were split
/// into receives, and bad headers or payloads are refused before or instead of delivery.
/// </summary>
public sealed class FrameReceiveBufferTests
{
    private const int MaxPayload = 1 << 20;

    private static byte[] FrameOf(FrameKind kind, int bodyLength, byte fill)
    {
        var frame = new byte[FrameHeader.Size + 1 + bodyLength];
        frame[FrameHeader.Size] = (byte)kind;
        frame.AsSpan(FrameHeader.Size + 1).Fill(fill);
        FrameHeader.Write(frame);
        return frame;
    }

    private static List<Frame> Feed(FrameReceiveBuffer buffer, ReadOnlySpan<byte> bytes, int chunk)
    {
        var frames = new List<Frame>();
        while (!bytes.IsEmpty)
        {
            var space = buffer.FreeSpace.Span;
            var count = Math.Min(Math.Min(chunk, bytes.Length), space.Length);
            bytes[..count].CopyTo(space);
            buffer.Advance(count);
            bytes = bytes[count..];
            while (buffer.TryTake(MaxPayload, out var frame))
            {
                frames.Add(frame);
            }
        }
        return frames;
    }

    [Fact]
    public void Frames_split_at_every_boundary_come_out_whole_and_in_order()
    {
        byte[] stream = [.. FrameOf(FrameKind.Batch, 3, 0xA1), .. FrameOf(FrameKind.Fragment, 0, 0), .. FrameOf(FrameKind.Batch, 40, 0xB2)];
        for (var chunk = 1; chunk <= stream.Length; chunk++)
        {
            var buffer = new FrameReceiveBuffer(64);
            var frames = Feed(buffer, stream, chunk);

            Assert.Equal([FrameKind.Batch, FrameKind.Fragment, FrameKind.Batch], frames.Select(f => f.Kind));
            Assert.Equal(Enumerable.Repeat((byte)0xA1, 3), frames[0].Body.ToArray());
            Assert.Empty(frames[1].Body.ToArray());
            Assert.Equal(Enumerable.Repeat((byte)0xB2, 40), frames[2].Body.ToArray());
            Assert.False(buffer.InsideFrame);
        }
    }

    [Fact]
    public void A_frame_larger_than_the_buffer_is_assembled_into_its_own_array()
    {
        var frame = FrameOf(FrameKind.Batch, 10_000, 0x5A);
        var buffer = new FrameReceiveBuffer(64);

        var frames = Feed(buffer, frame, 64);

        var only = Assert.Single(frames);
        Assert.Equal(10_000, only.Body.Length);
        Assert.All(only.Body.ToArray(), b => Assert.Equal(0x5A, b));
    }

    [Fact]
    public void A_partial_frame_is_reported_as_inside_a_frame()
    {
        var frame = FrameOf(FrameKind.Batch, 20, 1);
        var buffer = new FrameReceiveBuffer(64);

        Assert.Empty(Feed(buffer, frame.AsSpan(0, 3), 64));
        Assert.True(buffer.InsideFrame);
        Assert.Empty(Feed(buffer, frame.AsSpan(3, 10), 64));
        Assert.True(buffer.InsideFrame);
        Assert.Single(Feed(buffer, frame.AsSpan(13), 64));
        Assert.False(buffer.InsideFrame);
    }

    [Fact]
    public void An_oversize_length_is_refused_from_the_header_alone()
    {
        var header = new byte[FrameHeader.Size];
        BinaryPrimitives.WriteUInt32LittleEndian(header, MaxPayload + 1);
        var buffer = new FrameReceiveBuffer(64);

        var error = Assert.Throws<FrameFormatException>(() => Feed(buffer, header, 64));
        Assert.Contains("exceeds the limit", error.Message);
    }

    [Fact]
    public void A_corrupt_payload_or_an_unknown_kind_is_refused()
    {
        var corrupt = FrameOf(FrameKind.Batch, 8, 7);
        corrupt[^1] ^= 1;
        Assert.Contains("checksum mismatch", Assert.Throws<FrameFormatException>(() => Feed(new FrameReceiveBuffer(64), corrupt, 64)).Message);

        var unknown = FrameOf((FrameKind)0xEE, 2, 0);
        Assert.Contains("unknown frame kind", Assert.Throws<FrameFormatException>(() => Feed(new FrameReceiveBuffer(64), unknown, 64)).Message);
    }
}
