using Dst.Protocol;

namespace Dst.Server.Pipeline;

/// <summary>
/// The write path as connections see it: propose an encoded command, await it, read its reply.
/// Implemented over the node's data Raft group (<see cref="Replication.ReplicatedCommandLog"/>): a
/// proposal completes once committed by a majority and applied.
/// </summary>
public interface ICommandLog
{
    /// <summary>A pooled proposal, reset for <paramref name="kind"/>, to fill and propose.</summary>
    Proposal Rent(ProposalKind kind, RespVersion replyVersion);

    /// <summary>
    /// Queues the proposal. The task completes once it has been applied (its reply is then in
    /// <see cref="Proposal.Reply"/>), or fails with <see cref="LogUnavailableException"/>.
    /// </summary>
    ValueTask ProposeAsync(Proposal proposal);

    /// <summary>
    /// Queues several proposals in order as one unit (a connection's pipelined writes), so they are
    /// appended and applied together; each completes as <see cref="Proposal.Completion"/> says.
    /// </summary>
    void Propose(ReadOnlySpan<Proposal> proposals);

    /// <summary>Gives a completed proposal back to the pool.</summary>
    void Return(Proposal proposal);

    /// <summary>
    /// Completes when local state reflects every write acknowledged before the call. Locally this is
    /// immediate; under Raft it becomes a ReadIndex round.
    /// </summary>
    ValueTask ReadBarrierAsync();

    /// <summary>
    /// True while this node answers linearizable reads from its own state without a round trip (it is
    /// the group's only voter and leads it, with every committed entry applied): <see cref="ReadBarrierAsync"/>
    /// is then immediate.
    /// </summary>
    bool ServesLocalReads { get; }

    LogStatus Status { get; }

    /// <summary>Whether this node leads the data group now (only the leader runs active expiry).</summary>
    bool IsLeader { get; }
}

/// <summary>A consistent view of the log's progress, for INFO persistence.</summary>
public readonly record struct LogStatus(
    ulong FirstIndex,
    ulong LastIndex,
    ulong AppliedIndex,
    ulong DurableIndex,
    ulong SnapshotIndex,
    long LastSnapshotUnixSeconds,
    bool LastSnapshotOk,
    long EntriesSinceSnapshot,
    bool SnapshotInProgress);

/// <summary>The log cannot take writes (a failed disk write, or the server is shutting down).</summary>
public sealed class LogUnavailableException(string message) : Exception(message);
