namespace Dst.Raft;

/// <summary>What a node starts from: the persisted hard state and the membership in force.</summary>
public readonly record struct RaftInitialState(HardState HardState, ConfState ConfState);

/// <summary>
/// The stable (already persisted) part of a node's log, read by the consensus core. The core never
/// writes through this interface: the application persists what <see cref="Ready"/> hands it
/// (entries, then hard state, then snapshot) and only then calls <c>Advance</c>.
/// Shape follows etcd-io/raft's Storage. Entry indexes start at 1; index 0 is "before the log".
/// Implementations must be consistent with what has been persisted and may throw
/// <see cref="LogCompactedException"/> / <see cref="LogUnavailableException"/> for out-of-range indexes.
/// </summary>
public interface IRaftStorage
{
    /// <summary>The persisted hard state and the membership (from the latest snapshot plus applied changes).</summary>
    RaftInitialState InitialState();

    /// <summary>
    /// Appends entries in [<paramref name="lo"/>, <paramref name="hi"/>) to <paramref name="destination"/>,
    /// stopping once their total payload would exceed <paramref name="maxBytes"/> — but always at least
    /// one entry when the range is non-empty. Throws <see cref="LogCompactedException"/> if
    /// <paramref name="lo"/> &lt; <see cref="FirstIndex"/>, <see cref="LogUnavailableException"/> if
    /// <paramref name="hi"/> &gt; <see cref="LastIndex"/> + 1.
    /// </summary>
    void Entries(ulong lo, ulong hi, ulong maxBytes, List<Entry> destination);

    /// <summary>
    /// The term of the entry at <paramref name="index"/>, for any index in
    /// [<see cref="FirstIndex"/> - 1, <see cref="LastIndex"/>] (FirstIndex - 1 is the snapshot's index,
    /// whose term is kept).
    /// </summary>
    ulong Term(ulong index);

    /// <summary>The index of the first entry still available (snapshot index + 1).</summary>
    ulong FirstIndex { get; }

    /// <summary>The index of the last persisted entry (the snapshot index when the log is empty).</summary>
    ulong LastIndex { get; }

    /// <summary>The most recent snapshot (possibly <see cref="Raft.Snapshot.Empty"/>).</summary>
    Snapshot Snapshot();
}
