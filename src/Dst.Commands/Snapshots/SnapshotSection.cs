using System.Buffers;
using System.Buffers.Binary;

namespace Dst.Commands.Snapshots;

/// <summary>
/// The frame of the optional sections a snapshot starts with (settings, sessions):
/// <c>magic (8 bytes) | body length u32 | body | CRC32C u32 of everything before it</c>. A reader
/// that does not find a section's magic rewinds: older snapshots simply lack the section.
/// </summary>
internal static class SnapshotSection
{
    public const int MagicLength = 8;

    /// <summary>Builds a section whose body <paramref name="writeBody"/> fills, exactly <paramref name="bodyLength"/> bytes.</summary>
    public static byte[] Frame<TState>(ReadOnlySpan<byte> magic, int bodyLength, TState state, SpanAction<byte, TState> writeBody)
    {
        var section = new byte[MagicLength + sizeof(uint) + bodyLength + sizeof(uint)];
        magic.CopyTo(section);
        BinaryPrimitives.WriteUInt32LittleEndian(section.AsSpan(MagicLength), (uint)bodyLength);
        writeBody(section.AsSpan(MagicLength + sizeof(uint), bodyLength), state);
        var crcAt = section.Length - sizeof(uint);
        BinaryPrimitives.WriteUInt32LittleEndian(section.AsSpan(crcAt), Crc32C.Append(0, section.AsSpan(0, crcAt)));
        return section;
    }

    public static byte[] Frame(ReadOnlySpan<byte> magic, ReadOnlySpan<byte> body) =>
        Frame(magic, body.Length, body.ToArray(), static (destination, bytes) => bytes.CopyTo(destination));

    /// <summary>
    /// Reads the rest of a section whose magic was just consumed and returns its checked body; throws
    /// <see cref="InvalidDataException"/> naming <paramref name="what"/> when it is too large or damaged.
    /// </summary>
    public static byte[] ReadBody(Stream source, ReadOnlySpan<byte> magic, long maxBodyLength, string what)
    {
        var head = new byte[MagicLength + sizeof(uint)];
        magic.CopyTo(head);
        source.ReadExactly(head.AsSpan(MagicLength));
        var length = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(MagicLength));
        if (length > maxBodyLength)
        {
            throw new InvalidDataException($"snapshot {what} of {length} bytes is larger than {maxBodyLength}");
        }
        var rest = new byte[length + sizeof(uint)];
        source.ReadExactly(rest);
        var body = rest.AsSpan(0, (int)length);
        if (Crc32C.Append(Crc32C.Append(0, head), body) != BinaryPrimitives.ReadUInt32LittleEndian(rest.AsSpan((int)length)))
        {
            throw new InvalidDataException($"snapshot {what} checksum mismatch");
        }
        return body.ToArray();
    }
}
