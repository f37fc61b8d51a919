using Dst.Raft.ConfChange;
using Dst.Raft.Tracker;

namespace Dst.Raft.Tests.Unit;

public sealed class ConfChangeTests
{
    private static readonly TrackerConfig Three = TrackerConfig.From(ConfState.Of([1, 2, 3]));

    [Fact]
    public void Codec_round_trips_and_rejects_garbage()
    {
        var request = new ConfChangeRequest(ConfChangeTransition.JointExplicit,
            [new(ConfChangeType.AddNode, 4), new(ConfChangeType.RemoveNode, 1), new(ConfChangeType.AddLearnerNode, ulong.MaxValue)]);
        var decoded = ConfChangeRequest.Decode(request.Encode());
        Assert.Equal(request.Transition, decoded.Transition);
        Assert.Equal(request.Changes, decoded.Changes);
        Assert.Throws<FormatException>(() => ConfChangeRequest.Decode(new byte[] { 0, 1, 9 }));
        Assert.Throws<FormatException>(() => ConfChangeRequest.Decode(new byte[] { 7, 0 }));
    }

    [Fact]
    public void Simple_change_allows_one_voter_at_a_time()
    {
        var added = Changer.Simple(Three, [new(ConfChangeType.AddNode, 4)]);
        Assert.Equal([1UL, 2, 3, 4], added.Incoming);
        var error = Assert.Throws<ConfChangeException>(() =>
            Changer.Simple(Three, [new(ConfChangeType.AddNode, 4), new(ConfChangeType.AddNode, 5)]));
        Assert.Contains("more than one voter", error.Message);
        // Learners do not count: adding several learners is a simple change.
        var learners = Changer.Simple(Three, [new(ConfChangeType.AddLearnerNode, 4), new(ConfChangeType.AddLearnerNode, 5)]);
        Assert.Equal([4UL, 5], learners.Learners);
    }

    [Fact]
    public void Joint_change_enters_and_leaves()
    {
        var joint = Changer.EnterJoint(Three, autoLeave: true, [new(ConfChangeType.AddNode, 4), new(ConfChangeType.RemoveNode, 1)]);
        Assert.True(joint.IsJoint);
        Assert.Equal([2UL, 3, 4], joint.Incoming);
        Assert.Equal([1UL, 2, 3], joint.Outgoing);
        Assert.Throws<ConfChangeException>(() => Changer.EnterJoint(joint, false, [new(ConfChangeType.AddNode, 5)]));
        Assert.Throws<ConfChangeException>(() => Changer.Simple(joint, [new(ConfChangeType.AddNode, 5)]));
        var left = Changer.LeaveJoint(joint);
        Assert.False(left.IsJoint);
        Assert.Equal([2UL, 3, 4], left.Incoming);
        Assert.Throws<ConfChangeException>(() => Changer.LeaveJoint(left));
    }

    [Fact]
    public void Demoting_a_voter_waits_in_learners_next_until_the_joint_config_is_left()
    {
        var joint = Changer.EnterJoint(Three, autoLeave: false, [new(ConfChangeType.AddLearnerNode, 3)]);
        Assert.Equal([3UL], joint.LearnersNext);
        Assert.Empty(joint.Learners);
        var left = Changer.LeaveJoint(joint);
        Assert.Equal([3UL], left.Learners);
        Assert.Equal([1UL, 2], left.Incoming);
    }

    [Fact]
    public void Removing_every_voter_is_refused()
    {
        var one = TrackerConfig.From(ConfState.Of([1]));
        Assert.Throws<ConfChangeException>(() => Changer.Simple(one, [new(ConfChangeType.RemoveNode, 1)]));
        Assert.Throws<ConfChangeException>(() => Changer.Simple(one, [new(ConfChangeType.AddNode, 0)]));
    }
}
