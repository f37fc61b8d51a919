namespace Dst.Commands;

/// <summary>Limits the state machine enforces. Every replica must run with the same values.</summary>
public sealed record StateMachineOptions
{
    /// <summary>Redis's 512 MB default for <c>proto-max-bulk-len</c>.</summary>
    public const long DefaultProtoMaxBulkLen = 512L * 1024 * 1024;

    /// <summary>
    /// The largest string APPEND and SETRANGE may build (Redis checks <c>proto-max-bulk-len</c>). The
    /// server never takes it from its own <c>proto-max-bulk-len</c>, which limits only what its clients
    /// send: replicas started with different values would apply the same APPEND differently.
    /// </summary>
    public long ProtoMaxBulkLen { get; init; } = DefaultProtoMaxBulkLen;

    /// <summary><c>hash-max-listpack-entries</c> (alias <c>hash-max-ziplist-entries</c>): more fields convert a hash to a hashtable.</summary>
    public int HashMaxListpackEntries { get; init; } = 128;

    /// <summary><c>hash-max-listpack-value</c> (alias <c>hash-max-ziplist-value</c>): a longer field or value converts a hash to a hashtable.</summary>
    public int HashMaxListpackValue { get; init; } = 64;

    /// <summary><c>set-max-intset-entries</c>: more integer members convert an intset to a hashtable.</summary>
    public int SetMaxIntsetEntries { get; init; } = 512;

    /// <summary><c>set-max-listpack-entries</c>: more members convert a listpack set to a hashtable.</summary>
    public int SetMaxListpackEntries { get; init; } = 128;

    /// <summary><c>set-max-listpack-value</c>: a longer member converts a listpack set to a hashtable.</summary>
    public int SetMaxListpackValue { get; init; } = 64;

    /// <summary><c>list-max-listpack-size</c> (alias <c>list-max-ziplist-size</c>): entries per list node when positive, -1..-5 for 4..64 KB nodes.</summary>
    public int ListMaxListpackSize { get; init; } = -2;

    /// <summary><c>zset-max-listpack-entries</c> (alias <c>zset-max-ziplist-entries</c>): more members convert a sorted set to a skiplist.</summary>
    public int ZsetMaxListpackEntries { get; init; } = 128;

    /// <summary><c>zset-max-listpack-value</c> (alias <c>zset-max-ziplist-value</c>): a longer member converts a sorted set to a skiplist.</summary>
    public int ZsetMaxListpackValue { get; init; } = 64;

    /// <summary>Exactly-once sessions kept at most; the least recently used is forgotten first.</summary>
    public int MaxSessions { get; init; } = 10_000;

    /// <summary>Replies a session keeps for retries at most: more writes in flight than this cannot all be retried.</summary>
    public int MaxRepliesPerSession { get; init; } = 1024;

    public static StateMachineOptions Default { get; } = new();
}
