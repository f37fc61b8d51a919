using Dst.Commands.Snapshots;
using Dst.Commands.Storage;

namespace Dst.Commands.SortedSets;

/// <summary>
/// A sorted set value. Both encodings keep the members in a <see cref="ScoreTree"/> (score, then
/// member). A small set ("listpack") has nothing else and finds a member by a linear scan, like
/// Redis's listpack; past <c>zset-max-listpack-entries</c> members or a member longer than
/// <c>zset-max-listpack-value</c> it also gets a <see cref="MemberTable"/> for O(1) member lookups
/// ("skiplist"). As in Redis the conversion is one way, except for sets created whole (stores),
/// which start in the encoding their size calls for.
/// </summary>
public sealed class SortedSetObject : StoredObject
{
    private const byte ListpackTag = 0;
    private const byte SkiplistTag = 1;

    private readonly ScoreTree _tree;
    private MemberTable? _index;

    public SortedSetObject(byte[] key)
        : this(key, new ScoreTree(), null)
    {
    }

    private SortedSetObject(byte[] key, ScoreTree tree, MemberTable? index)
        : base(key)
    {
        _tree = tree;
        _index = index;
    }

    public int Count => _tree.Count;

    public bool IsSkiplist => _index is not null;

    public override ValueKind Kind => ValueKind.SortedSet;

    public override string EncodingName => IsSkiplist ? "skiplist" : "listpack";

    internal ScoreTree Tree => _tree;

    /// <summary>A new set in the encoding Redis's <c>zsetTypeCreate</c> picks for this many members of this length.</summary>
    internal static SortedSetObject Create(byte[] key, int sizeHint, int longestMember, StateMachineOptions options)
    {
        var set = new SortedSetObject(key);
        if (sizeHint > options.ZsetMaxListpackEntries || longestMember > options.ZsetMaxListpackValue)
        {
            set._index = new MemberTable(sizeHint);
        }
        return set;
    }

    public bool TryGetScore(ReadOnlySpan<byte> member, out double score)
    {
        var entry = Find(member);
        score = entry is null ? 0 : SortedSetEntry.Score(entry);
        return entry is not null;
    }

    /// <summary>Adds a member known to be absent, converting to the skiplist encoding first when it would outgrow the listpack.</summary>
    internal void Add(ReadOnlySpan<byte> member, double score, StateMachineOptions options)
    {
        if (_index is null && (Count + 1 > options.ZsetMaxListpackEntries || member.Length > options.ZsetMaxListpackValue))
        {
            ConvertToSkiplist();
        }
        var entry = SortedSetEntry.Create(member, score);
        _tree.Insert(entry);
        _index?.Add(entry);
    }

    /// <summary>Moves an existing member to a new score (a new entry: entries are shared with copies, never changed).</summary>
    internal void UpdateScore(byte[] entry, double score)
    {
        _tree.Remove(SortedSetEntry.Score(entry), SortedSetEntry.Member(entry));
        var updated = SortedSetEntry.Create(SortedSetEntry.Member(entry), score);
        _tree.Insert(updated);
        _index?.Replace(updated);
    }

    public bool Remove(ReadOnlySpan<byte> member)
    {
        var entry = Find(member);
        if (entry is null)
        {
            return false;
        }
        _tree.Remove(SortedSetEntry.Score(entry), member);
        _index?.Remove(member);
        return true;
    }

    /// <summary>Removes the member at <paramref name="rank"/> and returns its entry.</summary>
    internal byte[] RemoveAt(int rank)
    {
        var entry = _tree.RemoveAt(rank);
        _index?.Remove(SortedSetEntry.Member(entry));
        return entry;
    }

    /// <summary>0-based rank in ascending order, or -1 when absent.</summary>
    public int Rank(ReadOnlySpan<byte> member)
    {
        var entry = Find(member);
        return entry is null ? -1 : _tree.Rank(SortedSetEntry.Score(entry), member);
    }

    internal byte[]? Find(ReadOnlySpan<byte> member)
    {
        if (_index is not null)
        {
            return _index.Find(member);
        }
        for (var cursor = _tree.First; cursor.IsValid; cursor.MoveNext())
        {
            if (SortedSetEntry.Member(cursor.Entry).SequenceEqual(member))
            {
                return cursor.Entry;
            }
        }
        return null;
    }

    /// <summary>
    /// One ZSCAN step. The listpack encoding returns everything at once with cursor 0, as Redis does;
    /// the skiplist encoding walks the member table's buckets.
    /// </summary>
    internal ulong Scan(ulong cursor, int count, List<byte[]> into)
    {
        if (_index is not null)
        {
            return _index.Scan(cursor, count, into);
        }
        for (var at = _tree.First; at.IsValid; at.MoveNext())
        {
            into.Add(at.Entry);
        }
        return 0;
    }

    public override void WriteSnapshotValue(SnapshotWriter writer)
    {
        writer.WriteByte(IsSkiplist ? SkiplistTag : ListpackTag);
        writer.WriteVarint((ulong)Count);
        for (var cursor = _tree.First; cursor.IsValid; cursor.MoveNext())
        {
            writer.WriteInt64(BitConverter.DoubleToInt64Bits(SortedSetEntry.Score(cursor.Entry)));
            writer.WriteBytes(SortedSetEntry.Member(cursor.Entry));
        }
    }

    /// <summary>Reads what <see cref="WriteSnapshotValue"/> wrote: members in order, unique, scores not NaN.</summary>
    internal static SortedSetObject ReadSnapshot(SnapshotReader reader, byte[] key, long expireAt)
    {
        var set = new SortedSetObject(key) { ExpireAt = expireAt };
        var tag = reader.ReadByte();
        if (tag is not (ListpackTag or SkiplistTag))
        {
            throw new InvalidDataException($"snapshot sorted set encoding {tag} is not supported");
        }
        var count = reader.ReadVarint();
        if (count == 0 || count > int.MaxValue)
        {
            throw new InvalidDataException($"snapshot sorted set size {count} is out of range");
        }
        if (tag == SkiplistTag)
        {
            set._index = new MemberTable((int)Math.Min(count, 1 << 20));
        }
        byte[]? previous = null;
        for (ulong i = 0; i < count; i++)
        {
            var score = BitConverter.Int64BitsToDouble(reader.ReadInt64());
            var member = reader.ReadBytes();
            if (double.IsNaN(score) || (previous is not null && SortedSetEntry.Compare(previous, score, member) >= 0))
            {
                throw new InvalidDataException("snapshot sorted set members are not in order");
            }
            var entry = SortedSetEntry.Create(member, score);
            set._tree.Insert(entry);
            set._index?.Add(entry);
            previous = entry;
        }
        return set;
    }

    /// <summary>
    /// A copy sharing the entries (never changed in place), the tree's nodes and the member table's
    /// slot chunks; either side copies a shared node or chunk before its first change to it.
    /// </summary>
    public override StoredObject CloneWithKey(byte[] key) =>
        new SortedSetObject(key, _tree.Clone(), _index?.ShareCopy()) { ExpireAt = ExpireAt };

    /// <summary>The object, key, one array per member, the tree's node arrays and the member table.</summary>
    public override long EstimateMemoryUsage()
    {
        long bytes = 48 + ArrayBytes(Key.Length);
        for (var cursor = _tree.First; cursor.IsValid; cursor.MoveNext())
        {
            bytes += ArrayBytes(cursor.Entry.Length);
        }
        // Leaves hold a reference per member at about 70% fill, plus a node header per 64 members.
        bytes += (Count * 8L * 10 / 7) + (Count / ScoreTree.NodeCapacity * 64L) + 64;
        return bytes + (_index?.SlotBytes ?? 0);
    }

    private static long ArrayBytes(int length) => 24 + ((length + 7L) & ~7L);

    private void ConvertToSkiplist()
    {
        _index = new MemberTable(Count + 1);
        for (var cursor = _tree.First; cursor.IsValid; cursor.MoveNext())
        {
            _index.Add(cursor.Entry);
        }
    }
}
