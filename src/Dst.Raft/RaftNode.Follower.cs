using Dst.Raft.Tracker;

namespace Dst.Raft;

/// <summary>The follower's side: appends, heartbeats, snapshots, and forwarding to the leader.</summary>
public sealed partial class RaftNode
{
    private ProposalResult StepFollower(Message m)
    {
        switch (m.Type)
        {
            case MessageType.Propose:
                if (Lead == None)
                {
                    return ProposalResult.DroppedNoLeader;
                }
                Send(m with { To = Lead });
                return ProposalResult.Accepted;
            case MessageType.App or MessageType.Heartbeat or MessageType.Snap:
                _electionElapsed = 0;
                Lead = m.From;
                HandleFromLeader(m);
                break;
            case MessageType.TransferLeader:
                if (Lead != None)
                {
                    Send(m with { To = Lead });
                }
                break;
            case MessageType.TimeoutNow:
                // The leader handed over: campaign at once, bypassing pre-vote and leases.
                Hup(CampaignType.Transfer);
                break;
            case MessageType.ReadIndex:
                if (Lead != None)
                {
                    Send(m with { To = Lead, From = Id });
                }
                break;
            case MessageType.ReadIndexResp:
                _readStates.Add(new ReadState(m.Index, m.Context));
                break;
        }
        return ProposalResult.Accepted;
    }

    /// <summary>An append, heartbeat or snapshot from the leader of our term.</summary>
    private void HandleFromLeader(Message m)
    {
        switch (m.Type)
        {
            case MessageType.App:
                HandleAppendEntries(m);
                break;
            case MessageType.Heartbeat:
                HandleHeartbeat(m);
                break;
            default:
                HandleSnapshot(m);
                break;
        }
    }

    private void HandleAppendEntries(Message m)
    {
        if (m.Index < Log.Committed)
        {
            Send(new Message { To = m.From, Type = MessageType.AppResp, Index = Log.Committed });
            return;
        }
        if (Log.TryAppend(m.Index, m.LogTerm, m.Commit, m.Entries, out var lastNewIndex))
        {
            Send(new Message { To = m.From, Type = MessageType.AppResp, Index = lastNewIndex });
            return;
        }
        // Reject with a hint: the last index at or below the probe whose term is at most the
        // leader's term there, so the leader can skip a whole conflicting term at once.
        var (hintIndex, hintTerm) = Log.FindConflictByTerm(Math.Min(m.Index, Log.LastIndex), m.LogTerm);
        Send(new Message
        {
            To = m.From,
            Type = MessageType.AppResp,
            Index = m.Index,
            Reject = true,
            RejectHint = hintIndex,
            LogTerm = hintTerm,
        });
    }

    private void HandleHeartbeat(Message m)
    {
        Log.CommitTo(m.Commit);
        Send(new Message { To = m.From, Type = MessageType.HeartbeatResp, Context = m.Context });
    }

    private void HandleSnapshot(Message m)
    {
        var snapshot = m.Snapshot ?? throw new RaftInvariantException("snapshot message without a snapshot");
        var index = TryRestore(snapshot) ? Log.LastIndex : Log.Committed;
        Send(new Message { To = m.From, Type = MessageType.AppResp, Index = index });
    }

    private bool TryRestore(Snapshot snapshot)
    {
        var meta = snapshot.Metadata;
        if (meta.Index <= Log.Committed)
        {
            return false;
        }
        // Unlike etcd we accept a snapshot whose configuration does not list us yet: a node joining
        // an old group gets the founding snapshot, and the entries after it add this node.
        if (Log.MatchTerm(meta.Index, meta.Term))
        {
            // We already hold this prefix: just move the commit index.
            Log.CommitTo(meta.Index);
            return false;
        }
        Log.Restore(snapshot);
        Tracker.ApplyConfig(TrackerConfig.From(meta.ConfState), Log.LastIndex);
        return true;
    }
}
