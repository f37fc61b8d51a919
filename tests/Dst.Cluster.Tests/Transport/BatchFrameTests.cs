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
        var writer = new BatchFrameWriter(buffer, MaxPayload, 1 << 30);
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
    public void A_message_larger_than_a_frame_is_cut_into_fragments_that_join_back()
    {
        using var buffer = new PooledBufferWriter(256, 1 << 20);
        var writer = new BatchFrameWriter(buffer, 1024, 1 << 30);
        var small = new Message { Type = MessageType.Heartbeat, From = 1, To = 2 };
        var huge = new Message { Type = MessageType.App, From = 1, To = 2, Entries = [new Entry(1, 1, EntryType.Normal, Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray())] };

        Assert.True(writer.TryAppend(1, small));
        Assert.True(writer.TryAppend(7, huge));
        Assert.True(writer.TryAppend(1, small));
        writer.Complete();

        var kinds = new List<FrameKind>();
        var received = new List<GroupMessage>();
        var fragments = new FragmentAssembler(1 << 30);
        var rest = buffer.WrittenMemory;
        while (!rest.IsEmpty)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(rest.Span);
            Assert.InRange(length, 1, 1024);
            var payload = rest.Slice(FrameHeader.Size, length);
            var kind = (FrameKind)payload.Span[0];
            kinds.Add(kind);
            var body = kind == FrameKind.Fragment ? fragments.Add(payload[1..]) : payload[1..];
            if (body is { } whole)
            {
                BatchFrameReader.Decode(whole, CodecLimits.Default, received);
            }
            rest = rest[(FrameHeader.Size + length)..];
        }

        // 5,000 bytes of data in frames of at most 1,024: six pieces between the two small batches.
        Assert.Equal([FrameKind.Batch, .. Enumerable.Repeat(FrameKind.Fragment, 6), FrameKind.Batch], kinds);
        Assert.Equal([1UL, 7UL, 1UL], received.Select(m => m.GroupId));
        MessageAssert.Equal(huge, received[1].Message);
        Assert.False(fragments.InProgress);
    }

    [Fact]
    public void A_message_larger_than_the_receiver_joins_back_is_refused_and_leaves_the_buffer_whole()
    {
        using var buffer = new PooledBufferWriter(256, 1 << 20);
        var writer = new BatchFrameWriter(buffer, 1024, maxReassembled: 1500);
        var small = new Message { Type = MessageType.Heartbeat, From = 1, To = 2 };
        var huge = new Message { Type = MessageType.App, Entries = [new Entry(1, 1, EntryType.Normal, new byte[2048])] };

        Assert.True(writer.TryAppend(1, small));
        Assert.False(writer.TryAppend(1, huge));
        writer.Complete();

        var length = BinaryPrimitives.ReadUInt32LittleEndian(buffer.WrittenMemory.Span);
        Assert.Equal(buffer.WrittenCount, FrameHeader.Size + (int)length);
    }

    [Theory]
    [InlineData(10, 5, "no fragment before it")]
    [InlineData(2000, 0, "exceeds the limit of 1000")]
    public void A_fragment_that_does_not_start_a_body_within_the_limit_is_a_bad_frame(int total, int offset, string reason)
    {
        var fragments = new FragmentAssembler(1000);
        var error = Assert.Throws<FrameFormatException>(() => fragments.Add(Fragment(total, offset, 4)));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_fragment_that_skips_or_overruns_is_a_bad_frame()
    {
        var fragments = new FragmentAssembler(1000);
        Assert.Null(fragments.Add(Fragment(10, 0, 4)));
        Assert.Throws<FrameFormatException>(() => fragments.Add(Fragment(10, 6, 4)));
        var fresh = new FragmentAssembler(1000);
        Assert.Null(fresh.Add(Fragment(10, 0, 4)));
        Assert.Throws<FrameFormatException>(() => fresh.Add(Fragment(10, 4, 7)));
    }

    private static byte[] Fragment(int total, int offset, int bytes)
    {
        var span = new byte[20 + bytes];
        var writer = new WireWriter(span);
        writer.WriteVarint((ulong)total);
        writer.WriteVarint((ulong)offset);
        return span[..(writer.Written + bytes)];
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
