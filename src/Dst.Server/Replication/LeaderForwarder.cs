using Dst.Cluster.Hosting;
using Dst.Server.Logging;
using Dst.Server.Options;
using Dst.Server.Pipeline;

namespace Dst.Server.Replication;

/// <summary>
/// Sends writes that reach a follower to the current leader (proxy routing), over one
/// <see cref="ForwardLink"/> that is replaced when the leader changes or the connection breaks.
/// Each write is numbered in this node's <see cref="ForwardSession"/>, so when a leader change
/// leaves its outcome unknown it is sent again (to whoever leads by then) and the state machine
/// applies it at most once: within <see cref="RetryBudget"/> the client sees the one reply, never
/// "may or may not have been applied".
/// </summary>
internal sealed class LeaderForwarder(ServerOptions options, ServerLog log, Action<Proposal> retry)
{
    /// <summary>How long a write keeps being retried across leader changes before its client gets the error.</summary>
    public static readonly TimeSpan RetryBudget = TimeSpan.FromSeconds(3);

    private readonly Lock _gate = new();
    private ForwardLink? _link;
    private ForwardSession _session = new();
    private long _retries;

    /// <summary>The node the current link goes to (0 before the first forward).</summary>
    public ulong LinkLeaderId => Volatile.Read(ref _link)?.LeaderId ?? 0;

    /// <summary>Writes sent on the current link and not yet answered.</summary>
    public int InFlight => Volatile.Read(ref _link)?.InFlight ?? 0;

    /// <summary>Writes sent again after a leader change left their outcome unknown (INFO forward_retries).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Starts the write's retry budget unless an earlier attempt did.</summary>
    public static void StartRetryBudget(Proposal proposal)
    {
        if (proposal.RetryDeadline == 0)
        {
            proposal.RetryDeadline = Environment.TickCount64 + (long)RetryBudget.TotalMilliseconds;
        }
    }

    public void Forward(Proposal proposal, GroupStatus status)
    {
        StartRetryBudget(proposal);
        // A client's session write, or one another node forwarded here in its session, keeps its numbering.
        if (!proposal.InSession)
        {
            proposal.JoinSession(Volatile.Read(ref _session));
        }
        if (status.LeaderAddress is not { } leader || status.LeaderId == options.NodeId)
        {
            // No leader yet, or this node's status still names itself: ask again shortly.
            Retry(proposal, ReplicationErrors.NoLeader);
            return;
        }
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (LinkTo(status.LeaderId, leader).TrySend(proposal))
            {
                return;
            }
        }
        Retry(proposal, ReplicationErrors.NoLeader);
    }

    /// <summary>
    /// What the link does with the leader's reply to a forwarded write: true to hand it to
    /// <see cref="Retry"/> instead of relaying the reply. A CLUSTERDOWN reply to a write in a session
    /// means the leader lost leadership or could not append it; the session makes sending it again safe.
    /// </summary>
    public bool ShouldRetry(Proposal proposal, ReadOnlySpan<byte> reply)
    {
        if (!proposal.InSession)
        {
            return false;
        }
        if (reply.StartsWith("-SESSIONEXPIRED"u8) && proposal.Session is { } session)
        {
            // The leader's table forgot this node's session: later writes start a new one; this one
            // may have been applied by an earlier attempt, which nobody can tell any more.
            Interlocked.CompareExchange(ref _session, new ForwardSession(), session);
            proposal.RetryDeadline = long.MinValue; // Retry gives up at once
            return true;
        }
        if (!reply.StartsWith("-CLUSTERDOWN"u8))
        {
            return false;
        }
        proposal.MayHaveBeenApplied |= reply.IndexOf("may or may not have been applied"u8) >= 0;
        return true;
    }

    /// <summary>
    /// Tries a session write again once the cluster may have moved on (the proposer routes it to the
    /// leader of the moment, which may be this node), or fails it once the retry budget is spent.
    /// </summary>
    public void Retry(Proposal proposal, string lastError)
    {
        if (!proposal.InSession || Environment.TickCount64 >= proposal.RetryDeadline)
        {
            var error = proposal.MayHaveBeenApplied ? ReplicationErrors.Describe(ProposalAbandoned.OutcomeUnknown, 0) : lastError;
            proposal.Fail(new LogUnavailableException(error));
            return;
        }
        Interlocked.Increment(ref _retries);
        _ = RetryAfterPauseAsync(proposal);
    }

    private async Task RetryAfterPauseAsync(Proposal proposal)
    {
        // An election takes a few hundred milliseconds: asking again at once would only spin.
        await Task.Delay(TimeSpan.FromMilliseconds(25)).ConfigureAwait(false);
        retry(proposal);
    }

    private ForwardLink LinkTo(ulong leaderId, NodeAddress leader)
    {
        lock (_gate)
        {
            if (_link is { } link && link.LeaderId == leaderId && link.Leader == leader && !link.IsBroken)
            {
                return link;
            }
            _link?.Close();
            _link = new ForwardLink(leaderId, leader, options.RequirePass, this, log);
            return _link;
        }
    }

    public void Close()
    {
        lock (_gate)
        {
            _link?.Close();
        }
    }
}
