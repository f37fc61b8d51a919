namespace Dst.Storage;

/// <summary>
/// A snapshot file that passed validation: where it sits in the log, the caller's metadata (for
/// Raft, the membership at that point) and the body, readable as a stream or as bytes.
/// </summary>
public sealed class StoredSnapshot
{
    private readonly long _bodyStart;

    internal StoredSnapshot(string path, ulong index, ulong term, byte[] metadata, long bodyStart, long bodyLength)
    {
        FilePath = path;
        Index = index;
        Term = term;
        Metadata = metadata;
        _bodyStart = bodyStart;
        BodyLength = bodyLength;
    }

    public string FilePath { get; }
    public ulong Index { get; }
    public ulong Term { get; }
    public ReadOnlyMemory<byte> Metadata { get; }
    public long BodyLength { get; }

    /// <summary>A read-only stream over the body; the caller disposes it.</summary>
    public Stream OpenBody()
    {
        var file = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1 << 16);
        return new BoundedReadStream(file, _bodyStart, BodyLength);
    }

    /// <summary>The whole body in memory (for snapshots small enough to hold, or to send).</summary>
    public byte[] ReadBody()
    {
        using var body = OpenBody();
        var bytes = GC.AllocateUninitializedArray<byte>(checked((int)BodyLength));
        body.ReadExactly(bytes);
        return bytes;
    }
}
