namespace Dst.Raft;

public enum MessageType : byte
{
    /// <summary>Local: start an election (pre-vote first when enabled).</summary>
    Hup,
    /// <summary>Local: the leader should send heartbeats.</summary>
    Beat,
    /// <summary>A proposal: local, or forwarded by a follower to the leader.</summary>
    Propose,
    App,
    AppResp,
    Vote,
    VoteResp,
    PreVote,
    PreVoteResp,
    Heartbeat,
    HeartbeatResp,
    Snap,
    /// <summary>Local: the transport reports whether a snapshot reached <see cref="Message.From"/>.</summary>
    SnapStatus,
    /// <summary>Local: the transport could not reach <see cref="Message.From"/>.</summary>
    Unreachable,
    /// <summary>Local: the leader should check it still hears from a quorum.</summary>
    CheckQuorum,
    /// <summary>Ask the leader to hand leadership to <see cref="Message.From"/>.</summary>
    TransferLeader,
    /// <summary>From the leader to the transfer target: campaign now, ignoring leases.</summary>
    TimeoutNow,
    ReadIndex,
    ReadIndexResp,
}

/// <summary>
/// One Raft message. Which fields matter depends on <see cref="Type"/> (as in etcd's raftpb.Message).
/// <see cref="Context"/> carries the heartbeat round (heartbeats) or the application's read request
/// id (ReadIndex); <see cref="LeaderTransfer"/> marks a vote requested through TimeoutNow.
/// </summary>
public readonly record struct Message
{
    public Message()
    {
    }

    public MessageType Type { get; init; }
    public ulong To { get; init; }
    public ulong From { get; init; }
    public ulong Term { get; init; }
    public ulong LogTerm { get; init; }
    public ulong Index { get; init; }
    public Entry[] Entries { get; init; } = [];
    public ulong Commit { get; init; }
    public Snapshot? Snapshot { get; init; }
    public bool Reject { get; init; }
    public ulong RejectHint { get; init; }
    public ulong Context { get; init; }
    public bool LeaderTransfer { get; init; }

    public bool IsResponse => Type is MessageType.AppResp or MessageType.VoteResp or MessageType.PreVoteResp
        or MessageType.HeartbeatResp or MessageType.ReadIndexResp;

    public override string ToString()
    {
        var text = $"{From}->{To} {Type} Term:{Term} Log:{LogTerm}/{Index}";
        if (Commit != 0)
        {
            text += $" Commit:{Commit}";
        }
        if (Reject)
        {
            text += $" Rejected (Hint: {RejectHint})";
        }
        if (Context != 0)
        {
            text += $" Context:{Context}";
        }
        if (LeaderTransfer)
        {
            text += " Transfer";
        }
        if (Entries is { Length: > 0 })
        {
            text += " Entries:[" + string.Join(" ", Entries.Select(e => $"{e.Term}/{e.Index}{(e.Type == EntryType.ConfChange ? "cc" : "")}")) + "]";
        }
        if (Snapshot is { } snapshot)
        {
            text += $" Snapshot: index={snapshot.Metadata.Index} term={snapshot.Metadata.Term} {snapshot.Metadata.ConfState}";
        }
        return text;
    }
}
