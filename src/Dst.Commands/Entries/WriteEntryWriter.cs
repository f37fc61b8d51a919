using System.Buffers;
using System.Buffers.Binary;
using Dst.Commands.Storage;
using Dst.Protocol;

namespace Dst.Commands.Entries;

/// <summary>
/// Encodes write entries: <c>[version 1][kind 1][timestamp int64 LE][client id varint][sequence varint]</c>
/// then the body: for a command <c>[argc varint]([length varint][bytes])*</c>; for expire-if-due the
/// keys the same way; for multi <c>[watch count varint]([key][watched-at index varint])*[command count varint]</c>
/// followed by that many command bodies (built by <see cref="Transactions.TransactionBuilder"/>);
/// nothing for a no-op. Client id and sequence are 0/0 until sessions (exactly-once) use them.
/// </summary>
public static class WriteEntryWriter
{
    public const byte Version = 1;

    /// <summary>Version, kind and timestamp; the two varints follow.</summary>
    private const int FixedHeaderLength = 2 + sizeof(long);

    public static void EncodeCommand(CommandArgs args, long timestampMs, IBufferWriter<byte> payload, ulong clientId = 0, ulong sequence = 0)
    {
        WriteHeader(payload, WriteEntryKind.Command, timestampMs, clientId, sequence);
        WriteCommandBody(args, payload);
    }

    public static void EncodeExpireIfDue(IReadOnlyList<byte[]> keys, long timestampMs, IBufferWriter<byte> payload)
    {
        WriteHeader(payload, WriteEntryKind.ExpireIfDue, timestampMs, 0, 0);
        WriteVarint(payload, (ulong)keys.Count);
        foreach (var key in keys)
        {
            WriteBytes(payload, key);
        }
    }

    public static void EncodeMulti(IReadOnlyList<CommandArgs> commands, long timestampMs, IBufferWriter<byte> payload, ulong clientId = 0, ulong sequence = 0)
    {
        WriteHeader(payload, WriteEntryKind.Multi, timestampMs, clientId, sequence);
        WriteVarint(payload, 0); // no watched keys
        WriteVarint(payload, (ulong)commands.Count);
        foreach (var command in commands)
        {
            WriteCommandBody(command, payload);
        }
    }

    public static void EncodeNoop(long timestampMs, IBufferWriter<byte> payload) =>
        WriteHeader(payload, WriteEntryKind.Noop, timestampMs, 0, 0);

    internal static void WriteHeader(IBufferWriter<byte> payload, WriteEntryKind kind, long timestampMs, ulong clientId, ulong sequence)
    {
        var span = payload.GetSpan(FixedHeaderLength + (2 * Varint.MaxLength64));
        span[0] = Version;
        span[1] = (byte)kind;
        BinaryPrimitives.WriteInt64LittleEndian(span[2..], timestampMs);
        var written = FixedHeaderLength;
        written += Varint.Write(span[written..], clientId);
        written += Varint.Write(span[written..], sequence);
        payload.Advance(written);
    }

    internal static void WriteCommandBody(CommandArgs args, IBufferWriter<byte> payload)
    {
        if (args.Count == 0)
        {
            throw new ArgumentException("a command has at least its name", nameof(args));
        }
        WriteVarint(payload, (ulong)args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            WriteBytes(payload, args[i]);
        }
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
