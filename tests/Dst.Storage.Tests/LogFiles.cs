using System.Buffers.Binary;

namespace Dst.Storage.Tests;

/// <summary>Test-side reading of the on-disk log layout, written independently of the production reader.</summary>
internal static class LogFiles
{
    public const int HeaderSize = 25;

    public static string[] Segments(string directory) =>
        Directory.GetFiles(directory, "*.seg").Order(StringComparer.Ordinal).ToArray();

    public static string LastSegment(string directory) => Segments(directory)[^1];

    public static ulong FirstIndexOf(string segmentPath) => ulong.Parse(Path.GetFileNameWithoutExtension(segmentPath));

    /// <summary>
    /// Start offset and size of every record in a segment file, walking the length fields up to the
    /// file's end or the zeros preallocated after the last record (a header of zeros is no record).
    /// </summary>
    public static List<(long Offset, int Size)> Records(string segmentPath)
    {
        var bytes = File.ReadAllBytes(segmentPath);
        var records = new List<(long, int)>();
        var offset = 0;
        while (offset + HeaderSize <= bytes.Length && bytes.AsSpan(offset, HeaderSize).ContainsAnyExcept((byte)0))
        {
            var size = HeaderSize + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset));
            if (offset + size > bytes.Length)
            {
                break;
            }
            records.Add((offset, size));
            offset += size;
        }
        return records;
    }

    public static void FlipBit(string path, long offset, int bit = 0)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        var value = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(value ^ (1 << bit)));
    }

    public static void Truncate(string path, long length)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.SetLength(length);
    }

    public static void AppendBytes(string path, byte[] bytes)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write);
        file.Write(bytes);
    }
}
