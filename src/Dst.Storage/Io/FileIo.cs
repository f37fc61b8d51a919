using Microsoft.Win32.SafeHandles;

namespace Dst.Storage;

/// <summary>Positional reads that loop over short reads, which <see cref="RandomAccess.Read(SafeFileHandle, Span{byte}, long)"/> may return.</summary>
internal static class FileIo
{
    /// <summary>Reads until <paramref name="buffer"/> is full or the file ends; returns the bytes read.</summary>
    public static int ReadAtMost(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer[total..], offset + total);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }

    /// <summary>Reads exactly <paramref name="buffer"/>.Length bytes or throws: for data the index says is there.</summary>
    public static void ReadExactly(SafeFileHandle handle, Span<byte> buffer, long offset, string path)
    {
        var read = ReadAtMost(handle, buffer, offset);
        if (read != buffer.Length)
        {
            throw new StorageCorruptedException(path, $"expected {buffer.Length} bytes at offset {offset}, the file ends after {read}");
        }
    }
}
