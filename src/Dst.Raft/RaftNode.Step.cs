using Dst.Raft.Quorum;

namespace Dst.Raft;

/// <summary>Message handling common to every role: term checks, elections and votes.</summary>
public sealed partial class RaftNode
{
    private enum CampaignType
    {
        PreElection,
        Election,
        Transfer,
    }

    /// <summary>
    /// Processes one message. The result is meaningful for proposals (whether the entry was
    /// appended or forwarded); every other message returns <see cref="ProposalResult.Accepted"/>.
    /// </summary>
    public ProposalResult Step(Message m)
    {
        if (m.Term == 0)
        {
            // Local message.
        }
        else if (m.Term > Term)
        {
            if (m.Type is MessageType.Vote or MessageType.PreVote)
            {
                // With CheckQuorum a node that heard from a live leader within the election timeout
                // refuses to help depose it (unless the leader itself asked, via TimeoutNow). With
                // lease reads a freshly (re)started node also waits one timeout: it may have
                // acknowledged a lease before it crashed.
                var inLease = _config.CheckQuorum
                    && ((Lead != None && _electionElapsed < _config.ElectionTick)
                        || (IsLeaseReads && _ticks < (ulong)_config.ElectionTick));
                if (!m.LeaderTransfer && inLease)
                {
                    return ProposalResult.Accepted;
                }
            }
            if (m.Type == MessageType.PreVote || (m.Type == MessageType.PreVoteResp && !m.Reject))
            {
                // Pre-votes never change terms; a granted pre-vote carries the future term.
            }
            else if (m.Type is MessageType.App or MessageType.Heartbeat or MessageType.Snap)
            {
                BecomeFollower(m.Term, m.From);
            }
            else
            {
                BecomeFollower(m.Term, None);
            }
        }
        else if (m.Term < Term)
        {
            if ((_config.CheckQuorum || _config.PreVote) && m.Type is MessageType.Heartbeat or MessageType.App)
            {
                // A stale leader (e.g. after a partition) learns of the newer term from this reply,
                // instead of being ignored forever while its followers cannot elect anyone else.
                Send(new Message { To = m.From, Type = MessageType.AppResp });
            }
            else if (m.Type == MessageType.PreVote)
            {
                Send(new Message { To = m.From, Term = Term, Type = MessageType.PreVoteResp, Reject = true });
            }
            return ProposalResult.Accepted;
        }

        switch (m.Type)
        {
            case MessageType.Hup:
                Hup(_config.PreVote ? CampaignType.PreElection : CampaignType.Election);
                return ProposalResult.Accepted;
            case MessageType.Vote or MessageType.PreVote:
                HandleVoteRequest(m);
                return ProposalResult.Accepted;
            default:
                return State switch
                {
                    StateRole.Leader => StepLeader(m),
                    StateRole.Follower => StepFollower(m),
                    _ => StepCandidate(m),
                };
        }
    }

    private void HandleVoteRequest(Message m)
    {
        var canVote = Vote == m.From
            || (Vote == None && Lead == None)
            || (m.Type == MessageType.PreVote && m.Term > Term);
        var responseType = m.Type == MessageType.Vote ? MessageType.VoteResp : MessageType.PreVoteResp;
        if (canVote && Log.IsUpToDate(m.Index, m.LogTerm))
        {
            // Reply with the candidate's term: a pre-vote response at our own term would be ignored.
            Send(new Message { To = m.From, Term = m.Term, Type = responseType });
            if (m.Type == MessageType.Vote)
            {
                _electionElapsed = 0;
                Vote = m.From;
            }
        }
        else
        {
            Send(new Message { To = m.From, Term = Term, Type = responseType, Reject = true });
        }
    }

    private void Hup(CampaignType type)
    {
        if (State == StateRole.Leader || !Promotable)
        {
            return;
        }
        if (HasUnappliedConfChange())
        {
            // Campaigning with a pending membership change could use a stale configuration.
            return;
        }
        Campaign(type);
    }

    private bool HasUnappliedConfChange()
    {
        if (Log.Committed <= Log.Applied)
        {
            return false;
        }
        _scratch.Clear();
        Log.NextCommittedEntries(ulong.MaxValue, _scratch);
        foreach (var entry in _scratch)
        {
            if (entry.Type == EntryType.ConfChange)
            {
                return true;
            }
        }
        return false;
    }

    private void Campaign(CampaignType type)
    {
        ulong term;
        MessageType voteType;
        if (type == CampaignType.PreElection)
        {
            BecomePreCandidate();
            voteType = MessageType.PreVote;
            term = Term + 1;
        }
        else
        {
            BecomeCandidate();
            voteType = MessageType.Vote;
            term = Term;
        }
        if (Poll(Id, granted: true) == VoteResult.Won)
        {
            // A single-voter group wins at once.
            if (type == CampaignType.PreElection)
            {
                Campaign(CampaignType.Election);
            }
            else
            {
                BecomeLeader();
            }
            return;
        }
        foreach (var id in Tracker.Config.Voters.Ids)
        {
            if (id == Id)
            {
                continue;
            }
            Send(new Message
            {
                To = id,
                Term = term,
                Type = voteType,
                Index = Log.LastIndex,
                LogTerm = Log.LastTerm,
                LeaderTransfer = type == CampaignType.Transfer,
            });
        }
    }

    private VoteResult Poll(ulong id, bool granted)
    {
        Tracker.RecordVote(id, granted);
        return Tracker.TallyVotes().Result;
    }

    private ProposalResult StepCandidate(Message m)
    {
        var myResponseType = State == StateRole.PreCandidate ? MessageType.PreVoteResp : MessageType.VoteResp;
        switch (m.Type)
        {
            case MessageType.Propose:
                return ProposalResult.DroppedNoLeader;
            case MessageType.App or MessageType.Heartbeat or MessageType.Snap:
                // A leader exists for this term (a higher term already made us follower in Step).
                BecomeFollower(m.Term, m.From);
                HandleFromLeader(m);
                break;
            case MessageType.VoteResp or MessageType.PreVoteResp when m.Type == myResponseType:
                switch (Poll(m.From, !m.Reject))
                {
                    case VoteResult.Won:
                        if (State == StateRole.PreCandidate)
                        {
                            Campaign(CampaignType.Election);
                        }
                        else
                        {
                            BecomeLeader();
                            BroadcastAppend();
                        }
                        break;
                    case VoteResult.Lost:
                        // Pre-vote responses may carry a higher term; stay at ours.
                        BecomeFollower(Term, None);
                        break;
                }
                break;
        }
        return ProposalResult.Accepted;
    }
}
