using Dst.Commands.Snapshots;
using Dst.Commands.Storage;

namespace Dst.Commands.Tests;

/// <summary>
/// A non-string value for WRONGTYPE and TYPE tests until the real list type exists (issue 3).
/// Holds real items so COPY's deep copy is observable.
/// </summary>
internal sealed class FakeList(byte[] key, ValueKind kind = ValueKind.List) : StoredObject(key)
{
    public List<byte[]> Items { get; } = [];

    /// <summary>List by default; any other number stands for a type a snapshot reader does not know.</summary>
    public override ValueKind Kind { get; } = kind;

    public override string EncodingName => "quicklist";

    public override long EstimateMemoryUsage() => Key.Length + Items.Sum(item => (long)item.Length);

    public override void WriteSnapshotValue(SnapshotWriter writer)
    {
        writer.WriteVarint((ulong)Items.Count);
        foreach (var item in Items)
        {
            writer.WriteBytes(item);
        }
    }

    public override StoredObject CloneWithKey(byte[] key)
    {
        var copy = new FakeList(key, Kind) { ExpireAt = ExpireAt };
        copy.Items.AddRange(Items.Select(item => item.ToArray()));
        return copy;
    }
}
