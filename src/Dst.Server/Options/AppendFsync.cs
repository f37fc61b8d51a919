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

/// <summary>How reads are made consistent (see docs/operations.md).</summary>
public enum ReadConsistency
{
    /// <summary>A ReadIndex round confirms leadership before the read (the default).</summary>
    Linearizable,
    /// <summary>The leader serves reads while its lease holds (bounded clock drift assumed).</summary>
    Lease,
    /// <summary>Any node answers from what it has applied; may be behind.</summary>
    Stale,
}

/// <summary>What a follower does with a command only the leader may serve.</summary>
public enum Routing
{
    /// <summary>Forward it to the leader and relay the reply, so plain clients work against any node.</summary>
    Proxy,
    /// <summary>Answer -MOVED with the leader's address, as Redis Cluster does for cluster-aware clients.</summary>
    Redirect,
}
