namespace Dst.Storage;

/// <summary>
/// Stored data failed validation in a way a crash cannot explain (a bad checksum followed by valid
/// data, a gap in the log, an unreadable state file). The store refuses to start rather than guess:
/// an operator must look at <see cref="Path"/>.
/// </summary>
public sealed class StorageCorruptedException(string path, string message)
    : Exception($"{message} (file: {path})")
{
    public string Path { get; } = path;
}
