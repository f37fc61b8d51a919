using System.Buffers.Binary;
using Dst.Raft;

namespace Dst.Storage;

/// <summary>
/// The on-disk shape of one log entry (little-endian):
/// <code>
/// offset  0  u32  payload length
/// offset  4  u32  CRC32C over bytes [0,4) and [8, end): the whole record except this field
/// offset  8  u64  term
/// offset 16  u64  index
/// offset 24  u8   entry type
/// offset 25  ...  payload
/// </code>
/// Records are packed back to back in a segment file with no padding.
/// </summary>
internal static class LogRecord
{
    public const int HeaderSize = 25;

    /// <summary>Largest payload a record may carry; anything claiming more is garbage.</summary>
    public const int MaxPayload = 1 << 30;

    public static int SizeOf(int payloadLength) => HeaderSize + payloadLength;

    /// <summary>Writes the record into <paramref name="destination"/>, which must hold <see cref="SizeOf"/> bytes.</summary>
    public static void Write(Span<byte> destination, ulong term, ulong index, EntryType type, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, payload.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], term);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], index);
        destination[24] = (byte)type;
        payload.CopyTo(destination[HeaderSize..]);
        var record = destination[..SizeOf(payload.Length)];
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], Checksum(record));
    }

    /// <summary>The payload length a header claims, or -1 if it is out of range.</summary>
    public static int PayloadLength(ReadOnlySpan<byte> header)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        return length is >= 0 and <= MaxPayload ? length : -1;
    }

    public static ulong Term(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);

    public static ulong Index(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);

    public static EntryType Type(ReadOnlySpan<byte> header) => (EntryType)header[24];

    /// <summary>True when the record's type is known and its stored CRC matches its bytes.</summary>
    public static bool IsValid(ReadOnlySpan<byte> record) =>
        Enum.IsDefined(Type(record)) && BinaryPrimitives.ReadUInt32LittleEndian(record[4..]) == Checksum(record);

    private static uint Checksum(ReadOnlySpan<byte> record) =>
        Crc32C.Finish(Crc32C.Update(Crc32C.Update(Crc32C.Initial, record[..4]), record[8..]));
}
