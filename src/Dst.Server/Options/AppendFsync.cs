namespace Dst.Server.Options;

/// <summary>When the write-ahead log is fsynced, as Redis's <c>appendfsync</c>.</summary>
public enum AppendFsync
{
    /// <summary>Every batch of writes is fsynced before any of them is acknowledged.</summary>
    Always,

    /// <summary>The log is fsynced at most once a second; a crash may lose the last second.</summary>
    EverySec,

    /// <summary>The operating system decides when to write back; a machine crash may lose more.</summary>
    No,
}
