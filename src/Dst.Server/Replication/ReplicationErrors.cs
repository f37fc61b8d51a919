using Dst.Cluster.Hosting;
using Dst.Server.Pipeline;

namespace Dst.Server.Replication;

/// <summary>The error replies a client gets when the cluster cannot serve it, worded for Redis Cluster clients.</summary>
public static class ReplicationErrors
{
    public const string NoLeader = "CLUSTERDOWN The cluster is down (no leader)";

    public static string Describe(ProposalAbandoned reason, ulong leaderId) => reason switch
    {
        ProposalAbandoned.NotLeader when leaderId == 0 => NoLeader,
        ProposalAbandoned.NotLeader => $"CLUSTERDOWN This node stopped leading (node {leaderId} leads now); the command was not applied, retry it",
        ProposalAbandoned.Dropped => "CLUSTERDOWN The leader is transferring leadership or has too many uncommitted writes; the command was not applied, retry it",
        ProposalAbandoned.Lost => "CLUSTERDOWN Leadership changed; the command was not applied, retry it",
        ProposalAbandoned.TimedOut when leaderId == 0 => NoLeader,
        ProposalAbandoned.TimedOut => $"CLUSTERDOWN The leader (node {leaderId}) did not confirm a read point in time; retry",
        ProposalAbandoned.OutcomeUnknown => "CLUSTERDOWN Leadership changed before the command committed; it may or may not have been applied",
        _ => "CLUSTERDOWN The node is stopping or its storage failed",
    };
}

/// <summary>Whoever handed a proposal to the host and wants it back if the host cannot apply it (to forward it instead).</summary>
internal interface IProposalOwner
{
    void Abandoned(Proposal proposal, ProposalAbandoned reason, ulong leaderId);
}
