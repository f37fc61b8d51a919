using Dst.Commands.Storage;
using Dst.Protocol;

namespace Dst.Commands.Hashes;

/// <summary>
/// One element of a hashtable-encoded hash or set in a single array:
/// <c>[key length: varint][key][value]</c>. A hash field and its value cost one heap object;
/// a set member is an entry with an empty value.
/// </summary>
internal static class PackedEntry
{
    public static byte[] Create(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var prefix = Varint.SizeOf((ulong)key.Length);
        var entry = GC.AllocateUninitializedArray<byte>(prefix + key.Length + value.Length);
        Varint.Write(entry, (ulong)key.Length);
        key.CopyTo(entry.AsSpan(prefix));
        value.CopyTo(entry.AsSpan(prefix + key.Length));
        return entry;
    }

    public static ReadOnlySpan<byte> Key(byte[] entry)
    {
        var start = KeyStart(entry, out var length);
        return entry.AsSpan(start, length);
    }

    public static ReadOnlySpan<byte> Value(byte[] entry)
    {
        var start = KeyStart(entry, out var length);
        return entry.AsSpan(start + length);
    }

    /// <summary>Heap bytes of one entry array: a 24-byte header plus the data rounded up to 8.</summary>
    public static long HeapSize(byte[] entry) => HeapSizeOfBytes(entry.Length);

    public static long HeapSizeOfBytes(long length) => 24 + ((length + 7) & ~7L);

    private static int KeyStart(byte[] entry, out int length)
    {
        // Keys below 128 bytes, the common case, have a one-byte length.
        if (entry[0] < 0x80)
        {
            length = entry[0];
            return 1;
        }
        var consumed = Varint.TryRead(entry, out var value);
        length = (int)value;
        return consumed;
    }
}
