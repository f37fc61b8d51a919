namespace Dst.Raft;

/// <summary>
/// The membership of a group as recorded in a snapshot or the storage's initial state.
/// <see cref="VotersOutgoing"/> is non-empty only while the group is in a joint configuration;
/// <see cref="LearnersNext"/> holds voters being demoted to learners once the joint state is left.
/// </summary>
public sealed class ConfState : IEquatable<ConfState>
{
    public static readonly ConfState Empty = new([], [], [], [], false);

    public ConfState(ulong[] voters, ulong[] learners, ulong[] votersOutgoing, ulong[] learnersNext, bool autoLeave)
    {
        Voters = Sorted(voters);
        Learners = Sorted(learners);
        VotersOutgoing = Sorted(votersOutgoing);
        LearnersNext = Sorted(learnersNext);
        AutoLeave = autoLeave;
    }

    /// <summary>A plain (non-joint) configuration of voters and optional learners.</summary>
    public static ConfState Of(ulong[] voters, ulong[]? learners = null) => new(voters, learners ?? [], [], [], false);

    public IReadOnlyList<ulong> Voters { get; }
    public IReadOnlyList<ulong> Learners { get; }
    public IReadOnlyList<ulong> VotersOutgoing { get; }
    public IReadOnlyList<ulong> LearnersNext { get; }
    public bool AutoLeave { get; }

    public bool IsJoint => VotersOutgoing.Count > 0;

    public bool Equals(ConfState? other) =>
        other is not null
        && Voters.SequenceEqual(other.Voters)
        && Learners.SequenceEqual(other.Learners)
        && VotersOutgoing.SequenceEqual(other.VotersOutgoing)
        && LearnersNext.SequenceEqual(other.LearnersNext)
        && AutoLeave == other.AutoLeave;

    public override bool Equals(object? obj) => Equals(obj as ConfState);

    public override int GetHashCode() => HashCode.Combine(Voters.Count, Learners.Count, VotersOutgoing.Count, AutoLeave);

    public override string ToString()
    {
        var text = $"voters=({string.Join(" ", Voters)})";
        if (IsJoint)
        {
            text += $"&&({string.Join(" ", VotersOutgoing)})";
        }
        if (Learners.Count > 0)
        {
            text += $" learners=({string.Join(" ", Learners)})";
        }
        if (LearnersNext.Count > 0)
        {
            text += $" learners_next=({string.Join(" ", LearnersNext)})";
        }
        if (AutoLeave)
        {
            text += " autoleave";
        }
        return text;
    }

    private static ulong[] Sorted(ulong[] ids)
    {
        var copy = (ulong[])ids.Clone();
        Array.Sort(copy);
        return copy;
    }
}
