using System.Collections.Immutable;
using Dst.Raft.Tracker;

namespace Dst.Raft.ConfChange;

/// <summary>
/// Computes the configuration that results from a change (pure: the input is never modified).
/// Safety: a single voter change moves between configurations whose majorities always overlap;
/// anything larger goes through a joint configuration in which decisions need a majority of both
/// the old and new voters (Raft thesis ch. 4). Learners never count toward a quorum.
/// </summary>
public static class Changer
{
    /// <summary>Applies <paramref name="request"/> the way its transition asks.</summary>
    public static TrackerConfig Apply(TrackerConfig config, ConfChangeRequest request)
    {
        if (request.IsLeaveJoint)
        {
            return LeaveJoint(config);
        }
        var (usesJoint, autoLeave) = request.EntersJoint();
        return usesJoint ? EnterJoint(config, autoLeave, request.Changes) : Simple(config, request.Changes);
    }

    public static TrackerConfig EnterJoint(TrackerConfig config, bool autoLeave, IReadOnlyList<ConfChangeSingle> changes)
    {
        if (config.IsJoint)
        {
            throw new ConfChangeException("config is already joint");
        }
        if (config.Incoming.Count == 0)
        {
            throw new ConfChangeException("can't make a zero-voter config joint");
        }
        var state = new Builder(config) { Outgoing = config.Incoming };
        state.ApplyAll(changes);
        state.AutoLeave = autoLeave;
        return state.Build();
    }

    public static TrackerConfig LeaveJoint(TrackerConfig config)
    {
        if (!config.IsJoint)
        {
            throw new ConfChangeException("can't leave a non-joint config");
        }
        var learners = config.Learners.Union(config.LearnersNext);
        return Checked(new TrackerConfig(config.Incoming, [], learners, [], false));
    }

    public static TrackerConfig Simple(TrackerConfig config, IReadOnlyList<ConfChangeSingle> changes)
    {
        if (config.IsJoint)
        {
            throw new ConfChangeException("can't apply simple config change in joint config");
        }
        var state = new Builder(config);
        state.ApplyAll(changes);
        var result = state.Build();
        var changed = config.Incoming.SymmetricExcept(result.Incoming).Count;
        if (changed > 1)
        {
            throw new ConfChangeException("more than one voter changed without entering joint config");
        }
        return result;
    }

    private static TrackerConfig Checked(TrackerConfig config)
    {
        if (config.Incoming.Overlaps(config.Learners) || config.Outgoing.Overlaps(config.Learners))
        {
            throw new ConfChangeException("a node is both voter and learner");
        }
        if (!config.LearnersNext.IsSubsetOf(config.Outgoing) || config.LearnersNext.Overlaps(config.Learners))
        {
            throw new ConfChangeException("learners_next must be outgoing voters and not learners");
        }
        if (!config.IsJoint && (config.LearnersNext.Count > 0 || config.AutoLeave))
        {
            throw new ConfChangeException("a non-joint config has learners_next or autoleave");
        }
        return config;
    }

    /// <summary>Mutable scratch copy of a configuration while changes are applied.</summary>
    private sealed class Builder(TrackerConfig config)
    {
        public ImmutableSortedSet<ulong> Incoming { get; set; } = config.Incoming;
        public ImmutableSortedSet<ulong> Outgoing { get; set; } = config.Outgoing;
        public ImmutableSortedSet<ulong> Learners { get; set; } = config.Learners;
        public ImmutableSortedSet<ulong> LearnersNext { get; set; } = config.LearnersNext;
        public bool AutoLeave { get; set; } = config.AutoLeave;

        public void ApplyAll(IReadOnlyList<ConfChangeSingle> changes)
        {
            foreach (var change in changes)
            {
                if (change.NodeId == 0)
                {
                    throw new ConfChangeException("node id 0 is reserved");
                }
                switch (change.Type)
                {
                    case ConfChangeType.AddNode:
                        Learners = Learners.Remove(change.NodeId);
                        LearnersNext = LearnersNext.Remove(change.NodeId);
                        Incoming = Incoming.Add(change.NodeId);
                        break;
                    case ConfChangeType.AddLearnerNode:
                        Incoming = Incoming.Remove(change.NodeId);
                        // An outgoing voter cannot become a learner until the joint config is left.
                        if (Outgoing.Contains(change.NodeId))
                        {
                            LearnersNext = LearnersNext.Add(change.NodeId);
                        }
                        else
                        {
                            Learners = Learners.Add(change.NodeId);
                        }
                        break;
                    case ConfChangeType.RemoveNode:
                        Incoming = Incoming.Remove(change.NodeId);
                        Learners = Learners.Remove(change.NodeId);
                        LearnersNext = LearnersNext.Remove(change.NodeId);
                        break;
                    default:
                        throw new ConfChangeException($"unknown change type {change.Type}");
                }
            }
            if (Incoming.Count == 0)
            {
                throw new ConfChangeException("removed all voters");
            }
        }

        public TrackerConfig Build() => Checked(new TrackerConfig(Incoming, Outgoing, Learners, LearnersNext, AutoLeave));
    }
}
