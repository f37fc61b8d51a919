namespace Dst.Storage;

/// <summary>
/// Snapshot files in one directory. <see cref="Save"/> writes a temporary file, fsyncs it, renames it
/// into place and fsyncs the directory, so a snapshot is either wholly there or absent; then only
/// the newest <c>retain</c> snapshots are kept. <see cref="TryLoadLatest"/> returns the newest one
/// whose checksums verify, falling back to older ones; damaged files are renamed to <c>.corrupt</c>
/// (kept for inspection, never read again) and leftover temporary files are deleted.
/// Not thread-safe: one owner, except that <see cref="Write"/> may run on another thread alongside
/// the owner's calls (a snapshot serialized in the background); the owner then calls <see cref="Prune"/>.
/// </summary>
public sealed class SnapshotStore
{
    private readonly string _directory;
    private readonly int _retain;
    // Makes every temporary file name unique, so a background write never shares one with a Save.
    private long _temporaryFiles;

    private SnapshotStore(string directory, int retain)
    {
        _directory = directory;
        _retain = retain;
    }

    public string DirectoryPath => _directory;

    public static SnapshotStore Open(string directory, int retain = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retain, 1);
        directory = Path.GetFullPath(directory);
        Durable.CreateDirectory(directory);
        var store = new SnapshotStore(directory, retain);
        store.DeleteTemporaryFiles();
        return store;
    }

    /// <summary>
    /// Saves a snapshot at (<paramref name="index"/>, <paramref name="term"/>) with
    /// <paramref name="metadata"/>; <paramref name="writeBody"/> streams the body (it must not
    /// close the stream). Durable when this returns, and only the newest snapshots are kept.
    /// Returns the saved file's path.
    /// </summary>
    public string Save(ulong index, ulong term, ReadOnlySpan<byte> metadata, Action<Stream> writeBody)
    {
        var path = Write(index, term, metadata, writeBody);
        Prune();
        return path;
    }

    /// <summary>
    /// As <see cref="Save(ulong, ulong, ReadOnlySpan{byte}, Action{Stream})"/> without deleting older
    /// snapshots; safe on another thread while the owner uses the store. Returns the file's path.
    /// </summary>
    public string Write(ulong index, ulong term, ReadOnlySpan<byte> metadata, Action<Stream> writeBody)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(metadata.Length, SnapshotFormat.MaxMetadata, nameof(metadata));
        var path = Path.Combine(_directory, SnapshotFormat.FileNameFor(index, term));
        var temporary = $"{path}.{Interlocked.Increment(ref _temporaryFiles)}{SnapshotFormat.TemporaryExtension}";
        var header = SnapshotFormat.EncodeHeader(index, term, metadata);
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                file.Write(header);
                var body = new ChecksumWriteStream(file);
                writeBody(body);
                Span<byte> footer = stackalloc byte[SnapshotFormat.FooterSize];
                SnapshotFormat.EncodeFooter(footer, body.BytesWritten, body.Checksum);
                file.Write(footer);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        Durable.FlushDirectory(_directory);
        return path;
    }

    /// <summary>Saves a snapshot whose body is already in memory.</summary>
    public string Save(ulong index, ulong term, ReadOnlySpan<byte> metadata, ReadOnlyMemory<byte> body) =>
        Save(index, term, metadata, stream => stream.Write(body.Span));

    /// <summary>The snapshot at (<paramref name="index"/>, <paramref name="term"/>) if its file is there and verifies, else null.</summary>
    public StoredSnapshot? TryLoad(ulong index, ulong term)
    {
        var path = Path.Combine(_directory, SnapshotFormat.FileNameFor(index, term));
        try
        {
            return TryValidate(path, index, term);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The newest snapshot that verifies, or null if there is none.</summary>
    public StoredSnapshot? TryLoadLatest()
    {
        foreach (var (path, index, term) in ListNewestFirst())
        {
            var snapshot = TryValidate(path, index, term);
            if (snapshot is not null)
            {
                return snapshot;
            }
            File.Move(path, path + SnapshotFormat.CorruptExtension, overwrite: true);
            Durable.FlushDirectory(_directory);
        }
        return null;
    }

    private static StoredSnapshot? TryValidate(string path, ulong index, ulong term)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        var length = file.Length;
        Span<byte> fixedHeader = stackalloc byte[SnapshotFormat.FixedHeader];
        if (length < SnapshotFormat.FixedHeader + sizeof(uint) + SnapshotFormat.FooterSize || file.ReadAtLeast(fixedHeader, fixedHeader.Length, false) != fixedHeader.Length)
        {
            return null;
        }
        if (SnapshotFormat.DecodeFixedHeader(fixedHeader) is not { } decoded || decoded.Index != index || decoded.Term != term)
        {
            return null;
        }
        var headerLength = SnapshotFormat.FixedHeader + decoded.MetadataLength + sizeof(uint);
        if (length < headerLength + SnapshotFormat.FooterSize)
        {
            return null;
        }
        var header = new byte[headerLength];
        fixedHeader.CopyTo(header);
        file.ReadExactly(header.AsSpan(SnapshotFormat.FixedHeader));
        if (!SnapshotFormat.HeaderChecksumMatches(header))
        {
            return null;
        }
        var bodyLength = length - headerLength - SnapshotFormat.FooterSize;
        var bodyCrc = ChecksumOf(file, bodyLength);
        Span<byte> footer = stackalloc byte[SnapshotFormat.FooterSize];
        file.ReadExactly(footer);
        if (SnapshotFormat.DecodeFooter(footer) is not { } recorded || recorded.BodyLength != bodyLength || recorded.BodyCrc != bodyCrc)
        {
            return null;
        }
        var metadata = header.AsSpan(SnapshotFormat.FixedHeader, decoded.MetadataLength).ToArray();
        return new StoredSnapshot(path, index, term, metadata, headerLength, bodyLength);
    }

    private static uint ChecksumOf(FileStream file, long length)
    {
        var buffer = new byte[1 << 16];
        var state = Crc32C.Initial;
        while (length > 0)
        {
            var read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, length));
            if (read == 0)
            {
                throw new EndOfStreamException();
            }
            state = Crc32C.Update(state, buffer.AsSpan(0, read));
            length -= read;
        }
        return Crc32C.Finish(state);
    }

    private List<(string Path, ulong Index, ulong Term)> ListNewestFirst()
    {
        var snapshots = new List<(string Path, ulong Index, ulong Term)>();
        foreach (var path in Directory.EnumerateFiles(_directory, "*" + SnapshotFormat.Extension))
        {
            if (SnapshotFormat.ParseFileName(Path.GetFileName(path)) is { } name)
            {
                snapshots.Add((path, name.Index, name.Term));
            }
        }
        snapshots.Sort((a, b) => (b.Index, b.Term).CompareTo((a.Index, a.Term)));
        return snapshots;
    }

    /// <summary>Deletes all but the newest <c>retain</c> snapshots.</summary>
    public void Prune()
    {
        var snapshots = ListNewestFirst();
        if (snapshots.Count <= _retain)
        {
            return;
        }
        foreach (var (path, _, _) in snapshots.Skip(_retain))
        {
            File.Delete(path);
        }
        Durable.FlushDirectory(_directory);
    }

    private void DeleteTemporaryFiles()
    {
        foreach (var path in Directory.EnumerateFiles(_directory, "*" + SnapshotFormat.TemporaryExtension))
        {
            File.Delete(path);
        }
    }
}
