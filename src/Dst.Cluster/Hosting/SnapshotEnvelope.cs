using System.Buffers.Binary;

namespace Dst.Cluster.Hosting;

/// <summary>
/// A group snapshot's data as the host stores and sends it: <c>[u32 length][address book][state machine image]</c>,
/// so the membership's addresses always travel with the state they belong to.
/// </summary>
public static class SnapshotEnvelope
{
    public static byte[] Wrap(AddressBook book, ReadOnlySpan<byte> machineImage)
    {
        var encodedBook = book.Encode();
        var data = new byte[4 + encodedBook.Length + machineImage.Length];
        BinaryPrimitives.WriteInt32LittleEndian(data, encodedBook.Length);
        encodedBook.CopyTo(data, 4);
        machineImage.CopyTo(data.AsSpan(4 + encodedBook.Length));
        return data;
    }

    /// <summary>Writes the envelope to <paramref name="destination"/>: the book, then the image <paramref name="writeImage"/> streams.</summary>
    public static void Write(Stream destination, AddressBook book, Action<Stream> writeImage) =>
        Write(destination, book.Encode(), writeImage);

    /// <summary>As <see cref="Write(Stream, AddressBook, Action{Stream})"/> with the book already encoded (captured with the state).</summary>
    public static void Write(Stream destination, ReadOnlySpan<byte> encodedBook, Action<Stream> writeImage)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, encodedBook.Length);
        destination.Write(length);
        destination.Write(encodedBook);
        writeImage(destination);
    }

    /// <summary>Loads the book and returns the state machine's image (empty for a bootstrap snapshot).</summary>
    public static ReadOnlySpan<byte> Unwrap(ReadOnlySpan<byte> data, AddressBook book)
    {
        if (data.IsEmpty)
        {
            return data;
        }
        var length = data.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(data) : -1;
        if (length < 0 || length > data.Length - 4)
        {
            throw new FormatException("snapshot envelope is truncated");
        }
        book.Load(data.Slice(4, length));
        return data[(4 + length)..];
    }
}
