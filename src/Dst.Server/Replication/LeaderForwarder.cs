using Dst.Cluster.Hosting;
using Dst.Server.Logging;
using Dst.Server.Options;
using Dst.Server.Pipeline;

namespace Dst.Server.Replication;

/// <summary>
/// Sends writes that reach a follower to the current leader (proxy routing), over one
/// <see cref="ForwardLink"/> that is replaced when the leader changes or the connection breaks.
/// </summary>
internal sealed class LeaderForwarder(ServerOptions options, ServerLog log)
{
    private readonly Lock _gate = new();
    private ForwardLink? _link;

    public void Forward(Proposal proposal, GroupStatus status)
    {
        if (status.LeaderAddress is not { } leader)
        {
            proposal.Fail(new LogUnavailableException(ReplicationErrors.NoLeader));
            return;
        }
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (LinkTo(status.LeaderId, leader).TrySend(proposal))
            {
                return;
            }
        }
        proposal.Fail(new LogUnavailableException(ReplicationErrors.NoLeader));
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
            _link = new ForwardLink(leaderId, leader, options.RequirePass, log);
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
