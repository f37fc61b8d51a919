namespace Dst.Commands;

/// <summary>
/// What a command is allowed to do and where it is answered. Mirrors Redis's command flags;
/// <see cref="Server"/> is ours: the connection/server layer answers it, the keyspace has no handler.
/// </summary>
[Flags]
public enum CommandFlags
{
    None = 0,
    Write = 1 << 0,
    ReadOnly = 1 << 1,
    Admin = 1 << 2,
    Fast = 1 << 3,
    DenyOom = 1 << 4,
    /// <summary>Allowed before AUTH.</summary>
    NoAuth = 1 << 5,
    /// <summary>Allowed while the dataset is loading.</summary>
    Loading = 1 << 6,
    /// <summary>Allowed on a replica with stale data.</summary>
    Stale = 1 << 7,
    PubSub = 1 << 8,
    Blocking = 1 << 9,
    /// <summary>Key positions cannot be derived from first/last/step alone.</summary>
    MovableKeys = 1 << 10,
    /// <summary>Answered by the connection/server layer; the spec has no keyspace handler.</summary>
    Server = 1 << 11,
    /// <summary>
    /// Ours: a write that changes nothing when none of its keys exists (LPOP, SREM, EXPIRE, ...). Found so
    /// on a node that serves linearizable reads without a round trip, it is answered like a read, with no log entry.
    /// </summary>
    NoOpWithoutKeys = 1 << 12,
}
