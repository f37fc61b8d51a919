using System.Buffers.Binary;
using Dst.Protocol;

namespace Dst.Commands.Storage;

/// <summary>
/// A string key and its value packed into one array, so a string key costs one heap object:
/// <c>[header][expiry: 8 bytes, only if the header says so][key length: varint][key][value]</c>.
/// The value is either the raw bytes or, in the "int" encoding, an 8-byte little-endian long that
/// INCR updates in place. About 26 bytes of overhead per key on top of the key and value bytes.
/// </summary>
internal static class PackedString
{
    private const byte IntegerEncoding = 0x01;
    private const byte HasExpiry = 0x80;

    public static byte[] Create(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long expireAt)
    {
        var entry = Allocate(key, value.Length, expireAt, encoding: 0, out var valueOffset);
        value.CopyTo(entry.AsSpan(valueOffset));
        return entry;
    }

    /// <summary>A raw string entry whose value bytes the caller fills (see <see cref="Value"/>).</summary>
    public static byte[] CreateUninitialized(ReadOnlySpan<byte> key, int valueLength, long expireAt) =>
        Allocate(key, valueLength, expireAt, encoding: 0, out _);

    public static byte[] CreateInteger(ReadOnlySpan<byte> key, long value, long expireAt)
    {
        var entry = Allocate(key, sizeof(long), expireAt, IntegerEncoding, out var valueOffset);
        BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(valueOffset), value);
        return entry;
    }

    public static bool IsInteger(byte[] entry) => (entry[0] & IntegerEncoding) != 0;

    public static long Expiry(byte[] entry) =>
        (entry[0] & HasExpiry) != 0 ? BinaryPrimitives.ReadInt64LittleEndian(entry.AsSpan(1)) : -1;

    public static ReadOnlySpan<byte> Key(byte[] entry)
    {
        var keyStart = KeyStart(entry, out var keyLength);
        return entry.AsSpan(keyStart, keyLength);
    }

    /// <summary>The stored value bytes: raw text, or the 8 bytes of the int encoding.</summary>
    public static Span<byte> Value(byte[] entry)
    {
        var keyStart = KeyStart(entry, out var keyLength);
        return entry.AsSpan(keyStart + keyLength);
    }

    public static long IntegerValue(byte[] entry) => BinaryPrimitives.ReadInt64LittleEndian(Value(entry));

    public static void SetIntegerValue(byte[] entry, long value) => BinaryPrimitives.WriteInt64LittleEndian(Value(entry), value);

    /// <summary>The entry with another expiry: in place when the expiry field exists, else a resized copy.</summary>
    public static byte[] WithExpiry(byte[] entry, long expireAt)
    {
        var hasExpiry = (entry[0] & HasExpiry) != 0;
        if (hasExpiry && expireAt >= 0)
        {
            BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(1), expireAt);
            return entry;
        }
        if (!hasExpiry && expireAt < 0)
        {
            return entry;
        }
        var body = entry.AsSpan(hasExpiry ? 1 + sizeof(long) : 1);
        var copy = new byte[1 + (expireAt >= 0 ? sizeof(long) : 0) + body.Length];
        copy[0] = (byte)((entry[0] & ~HasExpiry) | (expireAt >= 0 ? HasExpiry : 0));
        if (expireAt >= 0)
        {
            BinaryPrimitives.WriteInt64LittleEndian(copy.AsSpan(1), expireAt);
        }
        body.CopyTo(copy.AsSpan(copy.Length - body.Length));
        return copy;
    }

    private static byte[] Allocate(ReadOnlySpan<byte> key, int valueLength, long expireAt, byte encoding, out int valueOffset)
    {
        var expiryBytes = expireAt >= 0 ? sizeof(long) : 0;
        var keyLengthBytes = Varint.SizeOf((ulong)key.Length);
        valueOffset = 1 + expiryBytes + keyLengthBytes + key.Length;
        var entry = GC.AllocateUninitializedArray<byte>(valueOffset + valueLength);
        entry[0] = (byte)(encoding | (expireAt >= 0 ? HasExpiry : 0));
        if (expireAt >= 0)
        {
            BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(1), expireAt);
        }
        var position = 1 + expiryBytes;
        position += Varint.Write(entry.AsSpan(position), (ulong)key.Length);
        key.CopyTo(entry.AsSpan(position));
        return entry;
    }

    private static int KeyStart(byte[] entry, out int keyLength)
    {
        var position = (entry[0] & HasExpiry) != 0 ? 1 + sizeof(long) : 1;
        // Keys below 128 bytes, the common case, have a one-byte length.
        if (entry[position] < 0x80)
        {
            keyLength = entry[position];
            return position + 1;
        }
        var consumed = Varint.TryRead(entry.AsSpan(position), out var length);
        keyLength = (int)length;
        return position + consumed;
    }
}
