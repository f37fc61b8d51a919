namespace Dst.Commands.Snapshots;

/// <summary>
/// The snapshot layout, version 1, all integers little-endian:
/// <code>
/// "DSTSNAP" 0x01 | applied index u64 | key count u64
/// per key: [kind u8][flags u8][expiry i64 if flags.HasExpiry][key: varint length + bytes][value]
///   string, raw:  varint length + bytes
///   string, int:  i64
///   (hash, list, set, zset: written by their StoredObject, one kind byte each)
/// trailer: [0xFF][key count u64][CRC32C u32 of every byte before the CRC]
/// </code>
/// The kind byte is <see cref="Storage.ValueKind"/>, so a new data type adds a kind and its value layout.
/// </summary>
internal static class SnapshotFormat
{
    public static ReadOnlySpan<byte> Magic => "DSTSNAP\u0001"u8;

    public const byte EndMarker = 0xFF;
    public const byte HasExpiry = 0x01;
    public const byte IntegerEncoding = 0x02;
    public const int BufferSize = 64 * 1024;
}
