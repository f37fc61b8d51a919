using Dst.Cluster.Tests.Support;
using Dst.Cluster.Transport;
using Dst.Raft;

namespace Dst.Cluster.Tests.Codec;

/// <summary>Bad input gets a <see cref="FrameFormatException"/> naming the problem, and never a big allocation.</summary>
public sealed class MalformedMessageTests
{
    private static byte[] Encode(Message message)
    {
        var encoded = new byte[RaftMessageCodec.GetEncodedLength(message)];
        RaftMessageCodec.Encode(message, encoded);
        return encoded;
    }

    private static FrameFormatException Rejects(byte[] bytes, CodecLimits? limits = null) =>
        Assert.Throws<FrameFormatException>(() => RaftMessageCodec.Decode(bytes, limits ?? CodecLimits.Default));

    [Fact]
    public void Another_version_is_refused()
    {
        var bytes = Encode(new Message { Type = MessageType.Heartbeat });
        bytes[0] = 2;
        Assert.Contains("version 2", Rejects(bytes).Message);
    }

    [Fact]
    public void An_unknown_message_type_is_refused()
    {
        var bytes = Encode(new Message());
        bytes[1] = (byte)MessageType.ReadIndexResp + 1;
        Assert.Contains("unknown message type", Rejects(bytes).Message);
    }

    [Fact]
    public void Unknown_flags_are_refused()
    {
        var bytes = Encode(new Message());
        bytes[2] = 0x80;
        Assert.Contains("flags", Rejects(bytes).Message);
    }

    [Fact]
    public void An_unknown_entry_type_is_refused()
    {
        var bytes = Encode(new Message { Entries = [new Entry(1, 1, EntryType.Normal, ReadOnlyMemory<byte>.Empty)] });
        // The entry's type byte sits just before its (empty) data length, the last byte.
        bytes[^2] = 7;
        Assert.Contains("entry type", Rejects(bytes).Message);
    }

    [Fact]
    public void Trailing_bytes_are_refused()
    {
        var bytes = Encode(new Message { Type = MessageType.Heartbeat });
        Assert.Contains("unexpected bytes", Rejects([.. bytes, 0]).Message);
    }

    [Fact]
    public void An_empty_input_is_refused()
    {
        Assert.Contains("truncated", Rejects([]).Message);
    }

    [Fact]
    public void An_entry_count_above_the_limit_is_refused()
    {
        var message = new Message { Entries = Enumerable.Range(1, 5).Select(i => new Entry(1, (ulong)i, EntryType.Normal, ReadOnlyMemory<byte>.Empty)).ToArray() };
        var exception = Rejects(Encode(message), CodecLimits.Default with { MaxEntries = 4 });
        Assert.Contains("Entries", exception.Message);
        Assert.Contains("limit of 4", exception.Message);
    }

    [Fact]
    public void Entry_data_above_the_limit_is_refused()
    {
        var message = new Message { Entries = [new Entry(1, 1, EntryType.Normal, new byte[100])] };
        Assert.Contains("Entry.Data", Rejects(Encode(message), CodecLimits.Default with { MaxEntryBytes = 99 }).Message);
    }

    [Fact]
    public void A_membership_list_above_the_limit_is_refused()
    {
        var snapshot = new Snapshot(new SnapshotMetadata(1, 1, ConfState.Of([1, 2, 3])), ReadOnlyMemory<byte>.Empty);
        var exception = Rejects(Encode(new Message { Snapshot = snapshot }), CodecLimits.Default with { MaxConfStateIds = 2 });
        Assert.Contains("ConfState.Voters", exception.Message);
    }

    [Fact]
    public void A_varint_longer_than_ten_bytes_is_refused()
    {
        byte[] bytes = [RaftMessageCodec.Version, 0, 0, .. Enumerable.Repeat((byte)0xFF, 11)];
        Assert.Contains("varint", Rejects(bytes).Message);
    }

    [Fact]
    public void A_varint_overflowing_64_bits_is_refused()
    {
        byte[] bytes = [RaftMessageCodec.Version, 0, 0, .. Enumerable.Repeat((byte)0xFF, 9), 0x02];
        Assert.Contains("overflows", Rejects(bytes).Message);
    }

    [Fact]
    public void A_lying_entry_count_allocates_nothing_before_it_is_refused()
    {
        // Header, eight zero fields, then a count of a billion entries with nothing behind it.
        byte[] bytes = [RaftMessageCodec.Version, (byte)MessageType.App, 0, 0, 0, 0, 0, 0, 0, 0, 0, .. Varint(1_000_000_000)];
        var limits = CodecLimits.Default with { MaxEntries = int.MaxValue };
        Rejects(bytes, limits);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var exception = Rejects(bytes, limits);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("cannot fit", exception.Message);
        Assert.True(allocated < 16 * 1024, $"allocated {allocated} bytes for a 20-byte input");
    }

    [Fact]
    public void A_lying_data_length_is_refused_as_truncated()
    {
        byte[] bytes = [RaftMessageCodec.Version, (byte)MessageType.App, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, .. Varint(1 << 20)];
        Assert.Contains("Entry.Data", Rejects(bytes).Message);
    }

    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }
        bytes.Add((byte)value);
        return [.. bytes];
    }
}
