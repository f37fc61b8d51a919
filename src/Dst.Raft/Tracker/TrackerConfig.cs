using System.Collections.Immutable;
using Dst.Raft.Quorum;

namespace Dst.Raft.Tracker;

/// <summary>
/// The membership as the leader tracks it: voters (possibly joint), learners, and learners-to-be
/// (voters of the outgoing config being demoted once the joint state is left). Immutable; build a
/// new one with the constructor (not <c>with</c>, which would copy the cached <see cref="Voters"/>).
/// </summary>
public sealed record TrackerConfig(
    ImmutableSortedSet<ulong> Incoming,
    ImmutableSortedSet<ulong> Outgoing,
    ImmutableSortedSet<ulong> Learners,
    ImmutableSortedSet<ulong> LearnersNext,
    bool AutoLeave)
{
    public static readonly TrackerConfig Empty = new([], [], [], [], false);

    public bool IsJoint => Outgoing.Count > 0;

    public JointConfig Voters { get; } = new(new MajorityConfig(Incoming), new MajorityConfig(Outgoing));

    /// <summary>Every id that needs a progress entry.</summary>
    public IEnumerable<ulong> AllIds => Incoming.Union(Outgoing).Union(Learners).Union(LearnersNext);

    public static TrackerConfig From(ConfState state) => new(
        [.. state.Voters], [.. state.VotersOutgoing], [.. state.Learners], [.. state.LearnersNext], state.AutoLeave);

    public ConfState ToConfState() => new([.. Incoming], [.. Learners], [.. Outgoing], [.. LearnersNext], AutoLeave);

    public override string ToString() => ToConfState().ToString();
}
