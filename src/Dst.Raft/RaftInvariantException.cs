namespace Dst.Raft;

/// <summary>
/// A Raft safety invariant was violated (a bug in the core or in how the application drives it).
/// Never caught inside the library: continuing could lose acknowledged writes.
/// </summary>
public sealed class RaftInvariantException(string message) : Exception(message);
