using System.Buffers;
using Dst.Raft;

namespace Dst.Cluster.Transport;

/// <summary>
/// The binary form of a <see cref="Message"/> on the wire. Layout (integers are unsigned LEB128
/// varints unless noted):
/// <code>
/// u8 version (1) | u8 type | u8 flags (1 reject, 2 leader transfer, 4 snapshot follows)
/// to from term logTerm index commit rejectHint context
/// entryCount { term index u8 entryType dataLength data }*
/// [snapshot: index term voters learners votersOutgoing learnersNext (each: count ids*) u8 autoLeave dataLength data]
/// </code>
/// The encoder sizes its output exactly first (<see cref="GetEncodedLength"/>) and writes without
/// growing. The decoder checks every count and length before allocating; entry and snapshot data
/// are returned as slices of the input, which must therefore not be reused while the message lives.
/// </summary>
public static class RaftMessageCodec
{
    public const byte Version = 1;

    private const byte RejectFlag = 1;
    private const byte LeaderTransferFlag = 2;
    private const byte SnapshotFlag = 4;
    private const byte KnownFlags = RejectFlag | LeaderTransferFlag | SnapshotFlag;

    /// <summary>Smallest possible encoded entry: term, index, type, empty data length.</summary>
    private const int MinEntryBytes = 4;

    public static int GetEncodedLength(in Message message)
    {
        var length = 3
            + WireWriter.VarintLength(message.To)
            + WireWriter.VarintLength(message.From)
            + WireWriter.VarintLength(message.Term)
            + WireWriter.VarintLength(message.LogTerm)
            + WireWriter.VarintLength(message.Index)
            + WireWriter.VarintLength(message.Commit)
            + WireWriter.VarintLength(message.RejectHint)
            + WireWriter.VarintLength(message.Context);
        var entries = message.Entries ?? [];
        length += WireWriter.VarintLength((ulong)entries.Length);
        foreach (ref readonly var entry in entries.AsSpan())
        {
            length += WireWriter.VarintLength(entry.Term)
                + WireWriter.VarintLength(entry.Index)
                + 1
                + LengthPrefixedSize(entry.Data.Length);
        }
        if (message.Snapshot is { } snapshot)
        {
            var metadata = snapshot.Metadata;
            length += WireWriter.VarintLength(metadata.Index) + WireWriter.VarintLength(metadata.Term);
            length += IdListSize(metadata.ConfState.Voters)
                + IdListSize(metadata.ConfState.Learners)
                + IdListSize(metadata.ConfState.VotersOutgoing)
                + IdListSize(metadata.ConfState.LearnersNext)
                + 1;
            length += LengthPrefixedSize(snapshot.Data.Length);
        }
        return length;
    }

    /// <summary>Encodes into <paramref name="destination"/>, which must hold <see cref="GetEncodedLength"/> bytes.</summary>
    public static int Encode(in Message message, Span<byte> destination)
    {
        var writer = new WireWriter(destination);
        writer.WriteByte(Version);
        writer.WriteByte((byte)message.Type);
        writer.WriteByte(FlagsOf(message));
        writer.WriteVarint(message.To);
        writer.WriteVarint(message.From);
        writer.WriteVarint(message.Term);
        writer.WriteVarint(message.LogTerm);
        writer.WriteVarint(message.Index);
        writer.WriteVarint(message.Commit);
        writer.WriteVarint(message.RejectHint);
        writer.WriteVarint(message.Context);
        var entries = message.Entries ?? [];
        writer.WriteVarint((ulong)entries.Length);
        foreach (ref readonly var entry in entries.AsSpan())
        {
            writer.WriteVarint(entry.Term);
            writer.WriteVarint(entry.Index);
            writer.WriteByte((byte)entry.Type);
            writer.WriteVarint((ulong)entry.Data.Length);
            writer.WriteBytes(entry.Data.Span);
        }
        if (message.Snapshot is { } snapshot)
        {
            var metadata = snapshot.Metadata;
            writer.WriteVarint(metadata.Index);
            writer.WriteVarint(metadata.Term);
            WriteIdList(ref writer, metadata.ConfState.Voters);
            WriteIdList(ref writer, metadata.ConfState.Learners);
            WriteIdList(ref writer, metadata.ConfState.VotersOutgoing);
            WriteIdList(ref writer, metadata.ConfState.LearnersNext);
            writer.WriteByte(metadata.ConfState.AutoLeave ? (byte)1 : (byte)0);
            writer.WriteVarint((ulong)snapshot.Data.Length);
            writer.WriteBytes(snapshot.Data.Span);
        }
        return writer.Written;
    }

    /// <summary>Encodes into a buffer writer with one <c>GetSpan</c> of the exact size.</summary>
    public static int Encode(in Message message, IBufferWriter<byte> output)
    {
        var length = GetEncodedLength(message);
        var written = Encode(message, output.GetSpan(length)[..length]);
        output.Advance(written);
        return written;
    }

    /// <summary>
    /// Decodes one message that fills <paramref name="source"/> exactly. Entry and snapshot data
    /// alias <paramref name="source"/>.
    /// </summary>
    /// <exception cref="FrameFormatException">The bytes are not a valid message within <paramref name="limits"/>.</exception>
    public static Message Decode(ReadOnlyMemory<byte> source, CodecLimits limits)
    {
        var reader = new WireReader(source);
        var version = reader.ReadByte("Version");
        if (version != Version)
        {
            throw new FrameFormatException($"message version {version} is not supported (expected {Version})");
        }
        var type = reader.ReadByte("Type");
        if (type > (byte)MessageType.ReadIndexResp)
        {
            throw new FrameFormatException($"unknown message type {type}");
        }
        var flags = reader.ReadByte("Flags");
        if ((flags & ~KnownFlags) != 0)
        {
            throw new FrameFormatException($"unknown message flags 0x{flags:x2}");
        }
        var message = new Message
        {
            Type = (MessageType)type,
            Reject = (flags & RejectFlag) != 0,
            LeaderTransfer = (flags & LeaderTransferFlag) != 0,
            To = reader.ReadVarint("To"),
            From = reader.ReadVarint("From"),
            Term = reader.ReadVarint("Term"),
            LogTerm = reader.ReadVarint("LogTerm"),
            Index = reader.ReadVarint("Index"),
            Commit = reader.ReadVarint("Commit"),
            RejectHint = reader.ReadVarint("RejectHint"),
            Context = reader.ReadVarint("Context"),
        };
        message = message with { Entries = ReadEntries(ref reader, limits) };
        if ((flags & SnapshotFlag) != 0)
        {
            message = message with { Snapshot = ReadSnapshot(ref reader, limits) };
        }
        reader.EnsureEnd("Message");
        return message;
    }

    private static Entry[] ReadEntries(ref WireReader reader, CodecLimits limits)
    {
        var count = reader.ReadCount("Entries", limits.MaxEntries, MinEntryBytes);
        if (count == 0)
        {
            return [];
        }
        var entries = new Entry[count];
        for (var i = 0; i < entries.Length; i++)
        {
            var term = reader.ReadVarint("Entry.Term");
            var index = reader.ReadVarint("Entry.Index");
            var type = reader.ReadByte("Entry.Type");
            if (type > (byte)EntryType.ConfChange)
            {
                throw new FrameFormatException($"unknown entry type {type}");
            }
            var data = reader.ReadLengthPrefixed("Entry.Data", limits.MaxEntryBytes);
            entries[i] = new Entry(term, index, (EntryType)type, data);
        }
        return entries;
    }

    private static Snapshot ReadSnapshot(ref WireReader reader, CodecLimits limits)
    {
        var index = reader.ReadVarint("Snapshot.Index");
        var term = reader.ReadVarint("Snapshot.Term");
        var voters = ReadIdList(ref reader, "ConfState.Voters", limits);
        var learners = ReadIdList(ref reader, "ConfState.Learners", limits);
        var votersOutgoing = ReadIdList(ref reader, "ConfState.VotersOutgoing", limits);
        var learnersNext = ReadIdList(ref reader, "ConfState.LearnersNext", limits);
        var autoLeave = reader.ReadByte("ConfState.AutoLeave");
        if (autoLeave > 1)
        {
            throw new FrameFormatException($"ConfState.AutoLeave: {autoLeave} is not a boolean");
        }
        var data = reader.ReadLengthPrefixed("Snapshot.Data", limits.MaxSnapshotBytes);
        var confState = new ConfState(voters, learners, votersOutgoing, learnersNext, autoLeave == 1);
        return new Snapshot(new SnapshotMetadata(index, term, confState), data);
    }

    private static ulong[] ReadIdList(ref WireReader reader, string field, CodecLimits limits)
    {
        var count = reader.ReadCount(field, limits.MaxConfStateIds, minItemBytes: 1);
        if (count == 0)
        {
            return [];
        }
        var ids = new ulong[count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = reader.ReadVarint(field);
        }
        return ids;
    }

    private static byte FlagsOf(in Message message)
    {
        byte flags = 0;
        if (message.Reject)
        {
            flags |= RejectFlag;
        }
        if (message.LeaderTransfer)
        {
            flags |= LeaderTransferFlag;
        }
        if (message.Snapshot is not null)
        {
            flags |= SnapshotFlag;
        }
        return flags;
    }

    private static int LengthPrefixedSize(int length) => WireWriter.VarintLength((ulong)length) + length;

    private static int IdListSize(IReadOnlyList<ulong> ids)
    {
        var size = WireWriter.VarintLength((ulong)ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            size += WireWriter.VarintLength(ids[i]);
        }
        return size;
    }

    private static void WriteIdList(ref WireWriter writer, IReadOnlyList<ulong> ids)
    {
        writer.WriteVarint((ulong)ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            writer.WriteVarint(ids[i]);
        }
    }
}
