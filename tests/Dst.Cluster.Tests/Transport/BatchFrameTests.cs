using System.Buffers.Binary;
using Dst.Cluster.Tests.Support;
using Dst.Cluster.Transport;
using Dst.Raft;

namespace Dst.Cluster.Tests.Transport;

public sealed class BatchFrameTests
{
    [Fact]
    public void Messages_split_into_frames_that_respect_the_limit_and_decode_in_order()
    {
        const int MaxPayload = 4096;
        var random = new RandomMessages(seed: 21);
        var sent = Enumerable.Range(0, 200)
            .Select(i => new GroupMessage((ulong)i, random.Next(MessageType.App) with { Snapshot = null }))
            .Where(m => RaftMessageCodec.GetEncodedLength(m.Message) < MaxPayload - 32)
            .ToList();
        using var buffer = new PooledBufferWriter(256, 1 << 20);
        var writer = new BatchFrameWriter(buffer, MaxPayload);
        foreach (var item in sent)
        {
            Assert.True(writer.TryAppend(item.GroupId, item.Message));
        }
        writer.Complete();

        var received = new List<GroupMessage>();
        var frames = 0;
        var rest = buffer.WrittenMemory;
        while (rest.Length > 0)
        {
            var length = FrameHeader.ReadLength(rest.Span, MaxPayload, out var checksum);
            var payload = rest.Slice(FrameHeader.Size, length);
            FrameHeader.VerifyChecksum(payload.Span, checksum);
            Assert.Equal((byte)FrameKind.Batch, payload.Span[0]);
            BatchFrameReader.Decode(payload[1..], CodecLimits.Default, received);
            rest = rest[(FrameHeader.Size + length)..];
            frames++;
        }

        Assert.True(frames > 1, "the messages should need several frames");
        Assert.Equal(sent.Count, received.Count);
        for (var i = 0; i < sent.Count; i++)
        {
            Assert.Equal(sent[i].GroupId, received[i].GroupId);
            MessageAssert.Equal(sent[i].Message, received[i].Message);
        }
    }

    [Fact]
    public void A_message_larger_than_a_frame_is_refused_and_leaves_the_buffer_whole()
    {
        using var buffer = new PooledBufferWriter(256, 1 << 20);
        var writer = new BatchFrameWriter(buffer, 1024);
        var small = new Message { Type = MessageType.Heartbeat, From = 1, To = 2 };
        var huge = new Message { Type = MessageType.App, Entries = [new Entry(1, 1, EntryType.Normal, new byte[2048])] };

        Assert.True(writer.TryAppend(1, small));
        Assert.False(writer.TryAppend(1, huge));
        writer.Complete();

        var length = BinaryPrimitives.ReadUInt32LittleEndian(buffer.WrittenMemory.Span);
        Assert.Equal(buffer.WrittenCount, FrameHeader.Size + (int)length);
    }

    [Fact]
    public void The_frame_header_refuses_empty_and_oversize_lengths()
    {
        var header = new byte[FrameHeader.Size];
        Assert.Throws<FrameFormatException>(() => FrameHeader.ReadLength(header, 100, out _));
        BinaryPrimitives.WriteUInt32LittleEndian(header, 101);
        Assert.Throws<FrameFormatException>(() => FrameHeader.ReadLength(header, 100, out _));
        Assert.Throws<FrameFormatException>(() => FrameHeader.VerifyChecksum([1, 2, 3], 0));
    }
}
