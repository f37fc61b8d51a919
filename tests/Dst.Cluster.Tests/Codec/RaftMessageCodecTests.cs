using System.Buffers;
using Dst.Cluster.Tests.Support;
using Dst.Cluster.Transport;
using Dst.Raft;

namespace Dst.Cluster.Tests.Codec;

public sealed class RaftMessageCodecTests
{
    private static Message RoundTrip(Message message)
    {
        var encoded = new byte[RaftMessageCodec.GetEncodedLength(message)];
        Assert.Equal(encoded.Length, RaftMessageCodec.Encode(message, encoded));
        return RaftMessageCodec.Decode(encoded, CodecLimits.Default);
    }

    [Fact]
    public void Every_message_type_round_trips_with_all_fields()
    {
        var messages = new RandomMessages(seed: 1);
        foreach (var type in Enum.GetValues<MessageType>())
        {
            var message = messages.Next(type);
            MessageAssert.Equal(message, RoundTrip(message));
        }
    }

    [Fact]
    public void Seeded_random_messages_round_trip()
    {
        var messages = new RandomMessages(seed: 42);
        for (var i = 0; i < 2000; i++)
        {
            var message = messages.Next();
            MessageAssert.Equal(message, RoundTrip(message));
        }
    }

    [Fact]
    public void Extreme_values_and_a_joint_configuration_round_trip()
    {
        var confState = new ConfState([1, 2, ulong.MaxValue], [4], [1, 5, 6], [7], autoLeave: true);
        var message = new Message
        {
            Type = MessageType.Snap,
            To = ulong.MaxValue,
            From = 1,
            Term = ulong.MaxValue,
            LogTerm = 127,
            Index = 128,
            Commit = 16383,
            RejectHint = 16384,
            Context = ulong.MaxValue - 1,
            Reject = true,
            LeaderTransfer = true,
            Entries = [new Entry(ulong.MaxValue, ulong.MaxValue, EntryType.ConfChange, new byte[] { 0, 255 })],
            Snapshot = new Snapshot(new SnapshotMetadata(ulong.MaxValue, 3, confState), new byte[] { 9, 8, 7 }),
        };
        MessageAssert.Equal(message, RoundTrip(message));
    }

    [Fact]
    public void An_empty_snapshot_is_not_confused_with_no_snapshot()
    {
        var withEmpty = new Message { Type = MessageType.Snap, Snapshot = Snapshot.Empty };
        Assert.NotNull(RoundTrip(withEmpty).Snapshot);
        Assert.Null(RoundTrip(new Message { Type = MessageType.Heartbeat }).Snapshot);
    }

    [Fact]
    public void A_default_message_with_no_entries_array_encodes_as_no_entries()
    {
        Assert.Empty(RoundTrip(default).Entries);
    }

    [Fact]
    public void A_heartbeat_is_compact()
    {
        var heartbeat = new Message { Type = MessageType.Heartbeat, From = 1, To = 2, Term = 5, Commit = 1000, Context = 7 };
        // 3 header bytes, 8 varints of which Commit takes 2, and the empty entry count.
        Assert.Equal(3 + 9 + 1, RaftMessageCodec.GetEncodedLength(heartbeat));
    }

    [Fact]
    public void An_app_message_with_64_entries_of_100_bytes_costs_16_bytes_of_header_and_6_per_entry()
    {
        var entries = Enumerable.Range(0, 64).Select(i => new Entry(7, 100_000 + (ulong)i, EntryType.Normal, new byte[100])).ToArray();
        var app = new Message { Type = MessageType.App, From = 1, To = 2, Term = 7, LogTerm = 7, Index = 99_999, Commit = 99_990, Entries = entries };
        Assert.Equal(16 + (64 * 106), RaftMessageCodec.GetEncodedLength(app));
    }

    [Fact]
    public void The_first_byte_is_the_version()
    {
        var encoded = new byte[RaftMessageCodec.GetEncodedLength(new Message())];
        RaftMessageCodec.Encode(new Message(), encoded);
        Assert.Equal(RaftMessageCodec.Version, encoded[0]);
    }

    [Fact]
    public void Encoding_into_a_buffer_writer_matches_encoding_into_a_span()
    {
        var message = new RandomMessages(seed: 7).Next(MessageType.App);
        var span = new byte[RaftMessageCodec.GetEncodedLength(message)];
        RaftMessageCodec.Encode(message, span);
        var writer = new ArrayBufferWriter<byte>();
        RaftMessageCodec.Encode(message, writer);
        Assert.Equal(span, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Decoded_entry_data_aliases_the_input_rather_than_copying()
    {
        var message = new Message { Type = MessageType.App, Entries = [new Entry(1, 1, EntryType.Normal, new byte[] { 1, 2, 3 })] };
        var encoded = new byte[RaftMessageCodec.GetEncodedLength(message)];
        RaftMessageCodec.Encode(message, encoded);
        var decoded = RaftMessageCodec.Decode(encoded, CodecLimits.Default);
        encoded[^1] = 99;
        Assert.Equal(99, decoded.Entries[0].Data.Span[2]);
    }
}
