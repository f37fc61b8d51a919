using Dst.Raft;

namespace Dst.Cluster.Tests.Support;

/// <summary>Field-by-field comparison (the record's own equality compares entry arrays by reference).</summary>
internal static class MessageAssert
{
    public static void Equal(Message expected, Message actual)
    {
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.To, actual.To);
        Assert.Equal(expected.From, actual.From);
        Assert.Equal(expected.Term, actual.Term);
        Assert.Equal(expected.LogTerm, actual.LogTerm);
        Assert.Equal(expected.Index, actual.Index);
        Assert.Equal(expected.Commit, actual.Commit);
        Assert.Equal(expected.Reject, actual.Reject);
        Assert.Equal(expected.RejectHint, actual.RejectHint);
        Assert.Equal(expected.Context, actual.Context);
        Assert.Equal(expected.LeaderTransfer, actual.LeaderTransfer);
        var expectedEntries = expected.Entries ?? [];
        Assert.Equal(expectedEntries.Length, actual.Entries.Length);
        for (var i = 0; i < expectedEntries.Length; i++)
        {
            Assert.Equal(expectedEntries[i].Term, actual.Entries[i].Term);
            Assert.Equal(expectedEntries[i].Index, actual.Entries[i].Index);
            Assert.Equal(expectedEntries[i].Type, actual.Entries[i].Type);
            Assert.Equal(expectedEntries[i].Data.ToArray(), actual.Entries[i].Data.ToArray());
        }
        if (expected.Snapshot is null)
        {
            Assert.Null(actual.Snapshot);
            return;
        }
        Assert.NotNull(actual.Snapshot);
        Assert.Equal(expected.Snapshot.Metadata.Index, actual.Snapshot.Metadata.Index);
        Assert.Equal(expected.Snapshot.Metadata.Term, actual.Snapshot.Metadata.Term);
        Assert.Equal(expected.Snapshot.Metadata.ConfState, actual.Snapshot.Metadata.ConfState);
        Assert.Equal(expected.Snapshot.Data.ToArray(), actual.Snapshot.Data.ToArray());
    }
}
