using System.Buffers.Binary;
using Dst.Storage;

namespace Dst.Cluster.Transport;

/// <summary>
/// Every frame is <c>u32 payload length | u32 CRC32C of the payload | payload</c>, little-endian.
/// The payload starts with a <see cref="FrameKind"/> byte, so it is never empty.
/// </summary>
internal static class FrameHeader
{
    public const int Size = 8;

    /// <summary>Fills in the header in front of a payload already written after it.</summary>
    public static void Write(Span<byte> frame)
    {
        var payload = frame[Size..];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[4..], Crc32C.Compute(payload));
    }

    /// <summary>Reads and bounds-checks the payload length; returns it with the expected checksum.</summary>
    public static int ReadLength(ReadOnlySpan<byte> header, int maxPayload, out uint checksum)
    {
        var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
        checksum = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (length == 0)
        {
            throw new FrameFormatException("empty frame");
        }
        if (length > (uint)maxPayload)
        {
            throw new FrameFormatException($"frame of {length} bytes exceeds the limit of {maxPayload}");
        }
        return (int)length;
    }

    public static void VerifyChecksum(ReadOnlySpan<byte> payload, uint expected)
    {
        var actual = Crc32C.Compute(payload);
        if (actual != expected)
        {
            throw new FrameFormatException($"frame checksum mismatch (expected 0x{expected:x8}, computed 0x{actual:x8})");
        }
    }
}
