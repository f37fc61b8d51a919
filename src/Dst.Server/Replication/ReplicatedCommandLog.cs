using Dst.Cluster.Hosting;
using Dst.Protocol;
using Dst.Server.Logging;
using Dst.Server.Options;
using Dst.Server.Pipeline;

namespace Dst.Server.Replication;

/// <summary>
/// The write and read path over the node's data Raft group. A write proposed on the leader goes to
/// the Raft host, which appends it, replicates it, and applies it once a majority holds it; the
/// apply writes the reply into the proposal. On a follower the proposal is forwarded to the leader
/// (<see cref="LeaderForwarder"/>) and the leader's reply relayed. Reads wait for a read barrier
/// (a batched ReadIndex round) unless the read consistency says otherwise.
/// </summary>
internal sealed class ReplicatedCommandLog : ICommandLog, IProposalOwner
{
    private readonly ProposalPool _pool = new();
    private readonly ServerOptions _options;

    /// <param name="forwardingLog">Where forwarding logs; null for a node without a cluster transport (nothing to forward to).</param>
    public ReplicatedCommandLog(RaftHost host, HostedGroup group, ServerOptions options, ServerLog? forwardingLog)
    {
        Host = host;
        Group = group;
        _options = options;
        Forwarder = forwardingLog is null ? null : new LeaderForwarder(options, forwardingLog, Retry);
    }

    public RaftHost Host { get; }

    public HostedGroup Group { get; }

    public LeaderForwarder? Forwarder { get; }

    public ulong NodeId => Host.NodeId;

    public GroupStatus Replication => Group.Status;

    public bool IsLeader => Group.Status.IsLeader;

    public LogStatus Status
    {
        get
        {
            var status = Group.Status;
            return new LogStatus(
                status.FirstIndex,
                status.LastIndex,
                status.AppliedIndex,
                status.DurableIndex,
                status.SnapshotIndex,
                LastSnapshotUnixSeconds,
                LastSnapshotOk,
                (long)(status.LastIndex - status.SnapshotIndex),
                Group.SnapshotInProgress);
        }
    }

    public long LastSnapshotUnixSeconds { get; private set; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public bool LastSnapshotOk { get; private set; } = true;

    public Proposal Rent(ProposalKind kind, RespVersion replyVersion)
    {
        var proposal = _pool.Rent();
        proposal.Reset(kind, replyVersion);
        proposal.Owner = this;
        return proposal;
    }

    public void Return(Proposal proposal) => _pool.Return(proposal);

    public ValueTask ProposeAsync(Proposal proposal)
    {
        Propose(new ReadOnlySpan<Proposal>(in proposal));
        return proposal.Completion;
    }

    public void Propose(ReadOnlySpan<Proposal> proposals)
    {
        var status = Group.Status;
        var forwarder = status.LeaderId != 0 && status.LeaderId != NodeId ? Forwarder : null;
        if (proposals.Length > 1 && forwarder is null && !AnySnapshot(proposals))
        {
            // A pipelined batch of writes goes to the host as one item, in order.
            for (var i = 0; i < proposals.Length; i++)
            {
                proposals[i].NextInChain = i + 1 < proposals.Length ? proposals[i + 1] : null;
            }
            Host.ProposeChain(Group, proposals[0], proposals.Length);
            return;
        }
        foreach (var proposal in proposals)
        {
            if (proposal.Kind == ProposalKind.Snapshot)
            {
                Host.Post(() => Snapshot(proposal));
            }
            else if (forwarder is not null && proposal.Kind == ProposalKind.Command)
            {
                forwarder.Forward(proposal, status);
            }
            else
            {
                // The host decides: it appends if this node leads, and hands it back (Abandoned) if not.
                Host.Propose(Group, proposal);
            }
        }
    }

    private static bool AnySnapshot(ReadOnlySpan<Proposal> proposals)
    {
        foreach (var proposal in proposals)
        {
            if (proposal.Kind == ProposalKind.Snapshot)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The host could not append or apply the proposal here. When this attempt certainly did not apply
    /// it (this node does not lead, or the leader dropped it while handing over, or another leader's
    /// entry took its place) the forwarder sends it on to whoever leads, waiting for a leader within its
    /// retry budget: an election or a hand-over costs a client latency, not an error. When the outcome
    /// is unknown only a write in a session can be sent again (its outcome is decided once); others fail.
    /// </summary>
    public void Abandoned(Proposal proposal, ProposalAbandoned reason, ulong leaderId)
    {
        var error = ReplicationErrors.Describe(reason, leaderId);
        if (Forwarder is null || proposal.Kind != ProposalKind.Command || reason == ProposalAbandoned.Unavailable)
        {
            proposal.Fail(new LogUnavailableException(error));
        }
        else if (reason is ProposalAbandoned.NotLeader or ProposalAbandoned.Dropped or ProposalAbandoned.Lost)
        {
            Forwarder.Forward(proposal, Group.Status);
        }
        else if (proposal.InSession)
        {
            LeaderForwarder.StartRetryBudget(proposal);
            Forwarder.Retry(proposal, error);
        }
        else
        {
            proposal.Fail(new LogUnavailableException(error));
        }
    }

    /// <summary>A session write goes round again: to the leader of the moment, forwarded or here.</summary>
    private void Retry(Proposal proposal) => Propose(new ReadOnlySpan<Proposal>(in proposal));

    public ValueTask ReadBarrierAsync() =>
        _options.ReadConsistency == ReadConsistency.Stale ? ValueTask.CompletedTask : LinearizableBarrierAsync();

    public bool ServesLocalReads => Group.ServesLocalReads;

    /// <summary>A ReadIndex round whatever --read-consistency says: for checks that must see every committed entry (membership).</summary>
    public ValueTask LinearizableBarrierAsync()
    {
        if (Group.ServesLocalReads)
        {
            return ValueTask.CompletedTask;
        }
        var ticket = ReadTicket.Rent();
        var task = ticket.Task;
        Host.Read(Group, ticket);
        return task;
    }

    /// <summary>Runs on the loop thread; the reply comes once the snapshot is durable (it is written in the background).</summary>
    private void Snapshot(Proposal proposal) => Group.TakeSnapshot(error => SnapshotTaken(proposal, error));

    private void SnapshotTaken(Proposal proposal, string? error)
    {
        LastSnapshotOk = error is null;
        if (error is null)
        {
            LastSnapshotUnixSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        }
        var writer = new RespWriter(proposal.Reply);
        if (error is null)
        {
            writer.WriteOk();
        }
        else
        {
            writer.WriteError($"ERR snapshot failed: {error}");
        }
        proposal.Complete();
    }
}
