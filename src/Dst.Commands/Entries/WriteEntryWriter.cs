using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Dst.Commands.Storage;
using Dst.Protocol;

namespace Dst.Commands.Entries;

/// <summary>
/// Encodes write entries: <c>[version 1][kind 1][timestamp int64 LE][client id varint][sequence varint]</c>,
/// then, only when the client id is not 0 (an exactly-once session), <c>[reply RESP version 1][acked-through varint]</c>,
/// then the body: for a command <c>[argc varint]([length varint][bytes])*</c>; for expire-if-due the
/// keys the same way; for multi <c>[watch count varint]([key][watched-at index varint])*[command count varint]</c>
/// followed by that many command bodies (built by <see cref="Transactions.TransactionBuilder"/>);
/// nothing for a no-op; for configure <c>[pair count varint]([name][value])*</c>, UTF-8 text; for a batch
/// one or more command bodies back to back, to the entry's end (a command entry whose kind byte says
/// batch is a batch of one, which is how <see cref="MakeBatch"/> starts one). Version 3 entries are never batches. Version 1 entries
/// (written before sessions) have the same layout and never a session; version 2 entries have this
/// layout but apply as before version 3 (<see cref="VersionMarkingEveryWrite"/>).
/// <para>
/// The version also names how an entry applies, so a log replayed by a later build decides as the
/// build that wrote it did, and a build older than an entry refuses it rather than applying it otherwise.
/// </para>
/// </summary>
public static class WriteEntryWriter
{
    public const byte Version = 4;

    /// <summary>The version before batches: otherwise the same layout, and applied the same way.</summary>
    public const byte VersionWithoutBatches = 3;

    /// <summary>
    /// Before version 3 every applied write marked its keys for WATCH, even one that changed nothing, and
    /// random draws were not seeded by the entry's index; such entries still read and apply so.
    /// </summary>
    public const byte VersionMarkingEveryWrite = 2;

    /// <summary>The version before sessions; still read.</summary>
    public const byte VersionWithoutSessions = 1;

    /// <summary>Version, kind and timestamp; the varints follow.</summary>
    internal const int FixedHeaderLength = 2 + sizeof(long);

    public static void EncodeCommand(CommandArgs args, long timestampMs, IBufferWriter<byte> payload, EntrySession session = default)
    {
        WriteHeader(payload, WriteEntryKind.Command, timestampMs, session);
        WriteCommandBody(args, payload);
    }

    /// <summary>
    /// Copies an entry written without a session into <paramref name="destination"/> with
    /// <paramref name="session"/> in its header, body unchanged: how a node stamps a write it forwards.
    /// </summary>
    public static void AddSession(ReadOnlySpan<byte> entry, EntrySession session, IBufferWriter<byte> destination)
    {
        var reader = new WriteEntryReader(entry);
        if (reader.Header.HasSession)
        {
            throw new ArgumentException("the entry already belongs to a session", nameof(entry));
        }
        WriteHeader(destination, reader.Header.Kind, reader.Header.TimestampMs, session);
        destination.Write(entry[reader.HeaderLength..]);
    }

    public static void EncodeExpireIfDue(IReadOnlyList<byte[]> keys, long timestampMs, IBufferWriter<byte> payload)
    {
        WriteHeader(payload, WriteEntryKind.ExpireIfDue, timestampMs, default);
        WriteVarint(payload, (ulong)keys.Count);
        foreach (var key in keys)
        {
            WriteBytes(payload, key);
        }
    }

    public static void EncodeMulti(IReadOnlyList<CommandArgs> commands, long timestampMs, IBufferWriter<byte> payload, EntrySession session = default)
    {
        WriteHeader(payload, WriteEntryKind.Multi, timestampMs, session);
        WriteVarint(payload, 0); // no watched keys
        WriteVarint(payload, (ulong)commands.Count);
        foreach (var command in commands)
        {
            WriteCommandBody(command, payload);
        }
    }

    public static void EncodeConfigure(IReadOnlyList<(string Name, string Value)> settings, long timestampMs, IBufferWriter<byte> payload)
    {
        WriteHeader(payload, WriteEntryKind.Configure, timestampMs, default);
        WriteVarint(payload, (ulong)settings.Count);
        foreach (var (name, value) in settings)
        {
            WriteBytes(payload, Encoding.UTF8.GetBytes(name));
            WriteBytes(payload, Encoding.UTF8.GetBytes(value));
        }
    }

    public static void EncodeNoop(long timestampMs, IBufferWriter<byte> payload) =>
        WriteHeader(payload, WriteEntryKind.Noop, timestampMs, default);

    internal static void WriteHeader(IBufferWriter<byte> payload, WriteEntryKind kind, long timestampMs, EntrySession session)
    {
        var span = payload.GetSpan(FixedHeaderLength + 1 + (3 * Varint.MaxLength64));
        span[0] = Version;
        span[1] = (byte)kind;
        BinaryPrimitives.WriteInt64LittleEndian(span[2..], timestampMs);
        var written = FixedHeaderLength;
        written += Varint.Write(span[written..], session.ClientId);
        written += Varint.Write(span[written..], session.Sequence);
        if (session.ClientId != 0)
        {
            span[written++] = (byte)session.ReplyVersion;
            written += Varint.Write(span[written..], session.AckedThrough);
        }
        payload.Advance(written);
    }

    /// <summary>
    /// Turns <paramref name="entry"/>, a command entry without a session, into a batch of that one command,
    /// to which <see cref="AppendToBatch"/> adds more; false (nothing changed) for any other entry.
    /// </summary>
    public static bool MakeBatch(Span<byte> entry)
    {
        if (entry.Length <= FixedHeaderLength || entry[0] != Version || (WriteEntryKind)entry[1] is not (WriteEntryKind.Command or WriteEntryKind.Batch)
            || entry[FixedHeaderLength] != 0)
        {
            return false; // another kind, or a session (its client id varint is not 0)
        }
        entry[1] = (byte)WriteEntryKind.Batch;
        return true;
    }

    /// <summary>Adds a command to a batch entry (<see cref="MakeBatch"/>).</summary>
    public static void AppendToBatch(CommandArgs args, IBufferWriter<byte> payload) => WriteCommandBody(args, payload);

    internal static void WriteCommandBody(CommandArgs args, IBufferWriter<byte> payload)
    {
        if (args.Count == 0)
        {
            throw new ArgumentException("a command has at least its name", nameof(args));
        }
        WriteVarint(payload, (ulong)args.Count);
        payload.Write(args.EncodedArguments);
    }

    internal static void WriteBytes(IBufferWriter<byte> payload, ReadOnlySpan<byte> bytes)
    {
        var span = payload.GetSpan(Varint.MaxLength64 + bytes.Length);
        var written = Varint.Write(span, (ulong)bytes.Length);
        bytes.CopyTo(span[written..]);
        payload.Advance(written + bytes.Length);
    }

    internal static void WriteVarint(IBufferWriter<byte> payload, ulong value) =>
        payload.Advance(Varint.Write(payload.GetSpan(Varint.MaxLength64), value));
}
