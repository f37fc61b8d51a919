namespace Dst.Cluster.Hosting;

/// <summary>A linearizable read waiting for its read point (one ReadIndex round serves a whole batch).</summary>
public interface IReadRequest
{
    /// <summary>The state now reflects every write acknowledged before the read arrived: serve it.</summary>
    void Ready();

    /// <summary>No read point could be had (no leader, or not within the request timeout).</summary>
    void Fail(ProposalAbandoned reason, ulong leaderId);
}
