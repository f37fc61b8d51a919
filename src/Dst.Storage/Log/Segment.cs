using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Dst.Storage;

/// <summary>
/// One segment file of the log: the entries from <see cref="FirstIndex"/> on, packed as
/// <see cref="LogRecord"/>s. Keeps the offset of every record (<see cref="RecordOffsets"/>, 4 bytes an
/// entry), so any entry is one positional read away. Offsets fit an int because a segment is closed
/// before it passes <see cref="SegmentedLogOptions.SegmentBytes"/> (at most 1 GiB).
/// </summary>
internal sealed class Segment : IDisposable
{
    private const string Extension = ".seg";
    private readonly RecordOffsets _offsets;

    private Segment(string path, ulong firstIndex, SafeFileHandle handle, RecordOffsets offsets, long length)
    {
        FilePath = path;
        FirstIndex = firstIndex;
        Handle = handle;
        _offsets = offsets;
        Length = length;
    }

    public string FilePath { get; }

    public ulong FirstIndex { get; }

    public SafeFileHandle Handle { get; }

    /// <summary>Number of records.</summary>
    public int Count => _offsets.Count;

    /// <summary>Bytes of complete records, including any still in the log's write buffer.</summary>
    public long Length { get; private set; }

    /// <summary>Index of the last record, or <see cref="FirstIndex"/> - 1 when empty.</summary>
    public ulong LastIndex => FirstIndex + (ulong)Count - 1;

    public bool Contains(ulong index) => index >= FirstIndex && index - FirstIndex < (ulong)Count;

    public static string FileNameFor(ulong firstIndex) => firstIndex.ToString("D20", CultureInfo.InvariantCulture) + Extension;

    /// <summary>The first index a segment file name announces, or null if the name is not a segment's.</summary>
    public static ulong? ParseFileName(string fileName)
    {
        if (fileName.Length != 20 + Extension.Length || !fileName.EndsWith(Extension, StringComparison.Ordinal))
        {
            return null;
        }
        return ulong.TryParse(fileName.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;
    }

    /// <summary>Creates an empty segment file (the caller flushes the directory).</summary>
    public static Segment Create(string directory, ulong firstIndex, OffsetBlockPool offsetBlocks)
    {
        var path = Path.Combine(directory, FileNameFor(firstIndex));
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        return new Segment(path, firstIndex, handle, new RecordOffsets(offsetBlocks), 0);
    }

    /// <summary>Wraps an existing file whose records recovery has already validated and indexed.</summary>
    public static Segment FromRecovered(string path, ulong firstIndex, SafeFileHandle handle, RecordOffsets offsets, long length) =>
        new(path, firstIndex, handle, offsets, length);

    /// <summary>Byte offset of the record holding <paramref name="index"/>.</summary>
    public long OffsetOf(ulong index) => _offsets[checked((int)(index - FirstIndex))];

    /// <summary>Byte offset just past the record holding <paramref name="index"/>.</summary>
    public long EndOf(ulong index)
    {
        var next = checked((int)(index - FirstIndex)) + 1;
        return next < Count ? _offsets[next] : Length;
    }

    public void Add(int recordSize)
    {
        _offsets.Add(checked((int)Length));
        Length += recordSize;
    }

    /// <summary>Forgets the records from <paramref name="index"/> on (the caller shortens the file).</summary>
    public void RemoveFrom(ulong index)
    {
        var keep = checked((int)(index - FirstIndex));
        if (keep < Count)
        {
            Length = _offsets[keep];
            _offsets.Truncate(keep);
        }
    }

    public void Dispose()
    {
        Handle.Dispose();
        _offsets.Release();
    }
}
