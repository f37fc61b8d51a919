namespace Dst.Raft.Quorum;

/// <summary>The outcome of an election so far.</summary>
public enum VoteResult
{
    /// <summary>Neither a quorum of granted nor of rejected votes yet.</summary>
    Pending,
    Lost,
    Won,
}

/// <summary>Looks up a voter's acknowledged index (match index, or acked heartbeat round).</summary>
public interface IAckedIndexer
{
    bool TryGetAckedIndex(ulong voterId, out ulong index);
}
