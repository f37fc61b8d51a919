using Dst.Raft;
using Dst.Storage;

namespace Dst.Cluster.Hosting;

/// <summary>
/// The application state a Raft group replicates. Every method is called on the host's loop thread,
/// in log order, so an implementation needs no locking against the host (only against its readers).
/// </summary>
public interface IReplicatedStateMachine
{
    /// <summary>Index of the last entry reflected in the state (after a restore, the snapshot's).</summary>
    ulong AppliedIndex { get; }

    /// <summary>
    /// Applies committed entries in order, each with the local proposal that produced it, if any (see
    /// <see cref="CommittedEntry"/>). Membership changes come too (already applied to the group), so the
    /// applied index moves past them.
    /// </summary>
    void Apply(ReadOnlySpan<CommittedEntry> committed);

    /// <summary>
    /// Captures the state at <see cref="AppliedIndex"/> for a snapshot, in a pause short enough for
    /// the loop thread (copies, no serialization). The host writes the image on a background thread
    /// while <see cref="Apply"/> and <see cref="Restore"/> go on, then disposes it.
    /// </summary>
    ISnapshotImage CaptureSnapshot();

    /// <summary>Replaces the state with a snapshot's (one a leader sent, or the newest on disk at start).</summary>
    void Restore(ulong index, ReadOnlySpan<byte> data);
}

/// <summary>
/// A committed entry and the local proposal that produced it (this node led when it was proposed), or
/// null: the entry came from another leader, is a leader's empty entry, or a membership change. One
/// struct rather than two parallel arrays: storing a proposal into an interface-typed array costs a
/// type check per entry.
/// </summary>
public readonly record struct CommittedEntry(Entry Entry, IProposal? Proposal);

/// <summary>A state machine's state captured at one index, written to a snapshot from any thread.</summary>
public interface ISnapshotImage : IDisposable
{
    /// <summary>Streams the image; throws <see cref="OperationCanceledException"/> soon after <paramref name="cancellation"/> fires.</summary>
    void WriteTo(Stream destination, CancellationToken cancellation);
}

/// <summary>A command on its way through a group, as the host sees it.</summary>
public interface IProposal
{
    /// <summary>
    /// Called once on the leader as the proposal enters the log: returns the entry's bytes, taken from
    /// <paramref name="arena"/>, which must never change afterwards (the log and followers keep
    /// referencing them). <paramref name="leaderTimeMs"/> is the leader's clock (Unix milliseconds, never
    /// going back), read once for all the proposals appended together.
    /// </summary>
    ReadOnlyMemory<byte> BuildEntry(long leaderTimeMs, EntryArena arena);

    /// <summary>The proposal queued after this one in a <see cref="RaftHost.ProposeChain"/>; ignored otherwise.</summary>
    IProposal? NextInChain { get; }

    /// <summary>The leader appended the entry at <paramref name="index"/> (WAIT asks replicas about it).</summary>
    void Appended(ulong index);

    /// <summary>The proposal will never be applied by this node (or its fate is unknown): answer the client.</summary>
    void Abandon(ProposalAbandoned reason, ulong leaderId);
}

public enum ProposalAbandoned
{
    /// <summary>This node is not the leader; nothing was appended.</summary>
    NotLeader,
    /// <summary>The leader refused it (a membership change in flight, or too many uncommitted bytes).</summary>
    Dropped,
    /// <summary>Appended, but another leader's entry took its place: it was not applied.</summary>
    Lost,
    /// <summary>Appended, but leadership changed before it committed: it may or may not be applied.</summary>
    OutcomeUnknown,
    /// <summary>A read waited longer than the request timeout for its read point (the leader is unreachable or busy).</summary>
    TimedOut,
    /// <summary>The node is stopping, or its storage failed.</summary>
    Unavailable,
}
