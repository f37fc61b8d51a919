using System.Buffers.Binary;

namespace Dst.Storage;

/// <summary>
/// The (index, term) of the last entry discarded from the front of the log, kept durably in the
/// log directory so that after a restart the log still knows where it starts and can answer
/// <c>Term(FirstIndex - 1)</c>. (0, 0) for a log that was never compacted.
/// </summary>
internal sealed class CompactionPoint : IDisposable
{
    public const string FileName = "compaction";
    private const int EncodedSize = 2 * sizeof(ulong);
    private readonly DualSlotFile _file;

    private CompactionPoint(DualSlotFile file, ulong index, ulong term)
    {
        _file = file;
        Index = index;
        Term = term;
    }

    public ulong Index { get; private set; }
    public ulong Term { get; private set; }

    public static CompactionPoint Open(string directory)
    {
        var file = DualSlotFile.Open(Path.Combine(directory, FileName));
        var payload = file.Load();
        if (payload.Length == 0)
        {
            return new CompactionPoint(file, 0, 0);
        }
        if (payload.Length != EncodedSize)
        {
            file.Dispose();
            throw new StorageCorruptedException(file.FilePath, $"compaction record has {payload.Length} bytes, expected {EncodedSize}");
        }
        return new CompactionPoint(file, BinaryPrimitives.ReadUInt64LittleEndian(payload), BinaryPrimitives.ReadUInt64LittleEndian(payload[8..]));
    }

    /// <summary>Durably moves the compaction point; entries through <paramref name="index"/> may be deleted once this returns.</summary>
    public void Save(ulong index, ulong term)
    {
        Span<byte> payload = stackalloc byte[EncodedSize];
        BinaryPrimitives.WriteUInt64LittleEndian(payload, index);
        BinaryPrimitives.WriteUInt64LittleEndian(payload[8..], term);
        _file.Save(payload);
        Index = index;
        Term = term;
    }

    public void Dispose() => _file.Dispose();
}
