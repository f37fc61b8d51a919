using System.Buffers.Binary;
using System.Globalization;

namespace Dst.Storage;

/// <summary>
/// A snapshot file (little-endian):
/// <code>
/// header: magic "DSTSNAP1", u64 index, u64 term, u32 metadata length, metadata, u32 CRC32C of the header so far
/// body:   the state machine's bytes, as written by the caller
/// footer: u64 body length, u32 CRC32C of the body, magic "SEND"
/// </code>
/// Files are named <c>&lt;index, 20 digits&gt;-&lt;term, 20 digits&gt;.snap</c>.
/// </summary>
internal static class SnapshotFormat
{
    public const string Extension = ".snap";
    public const string TemporaryExtension = ".tmp";
    public const string CorruptExtension = ".corrupt";
    public const int MaxMetadata = 1 << 20;
    public const int FixedHeader = 8 + 8 + 8 + 4;
    public const int FooterSize = 8 + 4 + 4;
    private const ulong HeaderMagic = 0x31504150_4E535444; // "DSTSNAP1"
    private const uint FooterMagic = 0x444E4553; // "SEND"

    public static string FileNameFor(ulong index, ulong term) =>
        index.ToString("D20", CultureInfo.InvariantCulture) + "-" + term.ToString("D20", CultureInfo.InvariantCulture) + Extension;

    public static (ulong Index, ulong Term)? ParseFileName(string fileName)
    {
        if (fileName.Length != 41 + Extension.Length || fileName[20] != '-' || !fileName.EndsWith(Extension, StringComparison.Ordinal))
        {
            return null;
        }
        return ulong.TryParse(fileName.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && ulong.TryParse(fileName.AsSpan(21, 20), NumberStyles.None, CultureInfo.InvariantCulture, out var term)
            ? (index, term)
            : null;
    }

    public static byte[] EncodeHeader(ulong index, ulong term, ReadOnlySpan<byte> metadata)
    {
        var header = new byte[FixedHeader + metadata.Length + sizeof(uint)];
        BinaryPrimitives.WriteUInt64LittleEndian(header, HeaderMagic);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(8), index);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(16), term);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(24), metadata.Length);
        metadata.CopyTo(header.AsSpan(FixedHeader));
        var crcAt = FixedHeader + metadata.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(crcAt), Crc32C.Compute(header.AsSpan(0, crcAt)));
        return header;
    }

    /// <summary>Reads the fixed part of a header: null unless the magic matches and the metadata length is sane.</summary>
    public static (ulong Index, ulong Term, int MetadataLength)? DecodeFixedHeader(ReadOnlySpan<byte> fixedHeader)
    {
        if (BinaryPrimitives.ReadUInt64LittleEndian(fixedHeader) != HeaderMagic)
        {
            return null;
        }
        var metadataLength = BinaryPrimitives.ReadInt32LittleEndian(fixedHeader[24..]);
        return metadataLength is >= 0 and <= MaxMetadata
            ? (BinaryPrimitives.ReadUInt64LittleEndian(fixedHeader[8..]), BinaryPrimitives.ReadUInt64LittleEndian(fixedHeader[16..]), metadataLength)
            : null;
    }

    public static bool HeaderChecksumMatches(ReadOnlySpan<byte> header)
    {
        var crcAt = header.Length - sizeof(uint);
        return BinaryPrimitives.ReadUInt32LittleEndian(header[crcAt..]) == Crc32C.Compute(header[..crcAt]);
    }

    public static void EncodeFooter(Span<byte> footer, long bodyLength, uint bodyCrc)
    {
        BinaryPrimitives.WriteInt64LittleEndian(footer, bodyLength);
        BinaryPrimitives.WriteUInt32LittleEndian(footer[8..], bodyCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(footer[12..], FooterMagic);
    }

    /// <summary>The body length and CRC a footer records, or null if it is not a footer.</summary>
    public static (long BodyLength, uint BodyCrc)? DecodeFooter(ReadOnlySpan<byte> footer) =>
        BinaryPrimitives.ReadUInt32LittleEndian(footer[12..]) == FooterMagic
            ? (BinaryPrimitives.ReadInt64LittleEndian(footer), BinaryPrimitives.ReadUInt32LittleEndian(footer[8..]))
            : null;
}
