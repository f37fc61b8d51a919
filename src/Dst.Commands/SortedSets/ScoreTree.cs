namespace Dst.Commands.SortedSets;

/// <summary>
/// The order of a sorted set: a counted B+tree of entries (<see cref="SortedSetEntry"/>) sorted by
/// score then member. Every branch keeps, per child, the child's element count and last entry, so
/// finding by value, finding by rank and counting the elements before a bound are all O(log n);
/// leaves are linked, so walking a range costs O(1) per element. Compared with Redis's skiplist it
/// spends about one reference per member instead of a node with a level array.
/// <para>
/// Leaves start small and double up to <see cref="NodeCapacity"/>, so a small set stays small.
/// Deterministic: the shape depends only on the operations applied.
/// </para>
/// <para>
/// Copy-on-write by node: <see cref="Clone"/> shares the root, and a change copies each shared node
/// on its path from the root before changing it (at most a few nodes of 64 references), so a copy
/// taken for a snapshot capture costs memory in proportion to what is written afterwards. Leaves are
/// therefore not linked to each other: a cursor finds the next leaf from the root.
/// </para>
/// </summary>
internal sealed class ScoreTree
{
    internal const int NodeCapacity = 64;
    private const int MergeBelow = NodeCapacity / 4;
    private const int InitialLeafCapacity = 4;

    private Node _root;
    // Identifies the nodes this tree may change in place; a clone gives both trees new ones.
    private object _owner = new();

    public ScoreTree() => _root = new Leaf(InitialLeafCapacity, _owner);

    private ScoreTree(Node root) => _root = root;

    public int Count => _root.Count;

    /// <summary>Adds an entry that is not in the tree.</summary>
    public void Insert(byte[] entry)
    {
        _root = Own(_root);
        var split = Insert(_root, entry);
        if (split is not null)
        {
            var root = new Branch(_owner);
            root.Put(0, _root);
            root.Put(1, split);
            root.Length = 2;
            root.Count = _root.Count + split.Count;
            _root = root;
        }
    }

    /// <summary>Removes the entry with this score and member; returns it, or null when absent.</summary>
    public byte[]? Remove(double score, ReadOnlySpan<byte> member)
    {
        _root = Own(_root);
        var removed = Remove(_root, score, member);
        while (_root is Branch { Length: 1 } branch)
        {
            _root = branch.Children[0];
        }
        if (_root is Branch { Length: 0 })
        {
            _root = new Leaf(InitialLeafCapacity, _owner);
        }
        return removed;
    }

    /// <summary>0-based rank of the entry with this score and member, or -1.</summary>
    public int Rank(double score, ReadOnlySpan<byte> member)
    {
        var node = _root;
        var rank = 0;
        while (node is Branch branch)
        {
            var i = branch.ChildFor(score, member);
            for (var j = 0; j < i; j++)
            {
                rank += branch.Counts[j];
            }
            node = branch.Children[i];
        }
        var leaf = (Leaf)node;
        var index = leaf.IndexOf(score, member, out var found);
        return found ? rank + index : -1;
    }

    /// <summary>
    /// How many entries satisfy <paramref name="isBefore"/>, which must hold for a prefix of the
    /// order (a lower or upper bound by score or by member); that count is the rank where the rest begins.
    /// </summary>
    public int CountBefore<TBound>(TBound isBefore)
        where TBound : struct, IEntryBound
    {
        var node = _root;
        var rank = 0;
        while (node is Branch branch)
        {
            var i = FirstNotBefore(branch.Lasts, branch.Length, isBefore);
            if (i == branch.Length)
            {
                return rank + branch.Count;
            }
            for (var j = 0; j < i; j++)
            {
                rank += branch.Counts[j];
            }
            node = branch.Children[i];
        }
        var leaf = (Leaf)node;
        return rank + FirstNotBefore(leaf.Entries, leaf.Length, isBefore);
    }

    /// <summary>A cursor on the lowest entry; invalid when the tree is empty.</summary>
    public Cursor First => Count == 0 ? default : At(0);

    /// <summary>A cursor on the entry at <paramref name="rank"/> (0..Count-1).</summary>
    public Cursor At(int rank)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)rank, (uint)Count, nameof(rank));
        var node = _root;
        var index = rank;
        while (node is Branch branch)
        {
            var i = 0;
            while (index >= branch.Counts[i])
            {
                index -= branch.Counts[i];
                i++;
            }
            node = branch.Children[i];
        }
        return new Cursor(this, (Leaf)node, index, rank - index);
    }

    public byte[] EntryAt(int rank) => At(rank).Entry;

    /// <summary>
    /// A copy sharing every node (and the entries) with this tree, in O(1): from now on each tree
    /// copies a shared node before its first change to it, so neither sees the other's writes.
    /// </summary>
    public ScoreTree Clone()
    {
        _owner = new object();
        return new ScoreTree(_root);
    }

    /// <summary>Removes and returns the entry at <paramref name="rank"/>.</summary>
    public byte[] RemoveAt(int rank)
    {
        var entry = EntryAt(rank);
        Remove(SortedSetEntry.Score(entry), SortedSetEntry.Member(entry));
        return entry;
    }

    private static int FirstNotBefore<TBound>(byte[][] entries, int length, TBound isBefore)
        where TBound : struct, IEntryBound
    {
        int low = 0, high = length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (isBefore.IsBefore(entries[middle]))
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }

    /// <summary>The node itself when this tree may change it, else a copy owned by this tree (the caller puts it in place).</summary>
    private Node Own(Node node) => ReferenceEquals(node.Owner, _owner) ? node : node.CopyFor(_owner);

    /// <summary>Inserts below <paramref name="node"/>, which this tree owns.</summary>
    private Node? Insert(Node node, byte[] entry)
    {
        if (node is Leaf leaf)
        {
            return leaf.Insert(entry);
        }
        var branch = (Branch)node;
        var i = branch.ChildFor(SortedSetEntry.Score(entry), SortedSetEntry.Member(entry));
        var child = Own(branch.Children[i]);
        var split = Insert(child, entry);
        branch.Count++;
        branch.Put(i, child);
        return split is null ? null : branch.InsertChild(i + 1, split);
    }

    /// <summary>Removes below <paramref name="node"/>, which this tree owns.</summary>
    private byte[]? Remove(Node node, double score, ReadOnlySpan<byte> member)
    {
        if (node is Leaf leaf)
        {
            return leaf.Remove(score, member);
        }
        var branch = (Branch)node;
        var i = branch.ChildFor(score, member);
        var child = Own(branch.Children[i]);
        var removed = Remove(child, score, member);
        if (removed is null)
        {
            return null;
        }
        branch.Count--;
        if (child.Length == 0)
        {
            branch.RemoveChild(i);
        }
        else
        {
            branch.Put(i, child);
            MergeIfSmall(branch, i);
        }
        return removed;
    }

    /// <summary>Merges a thinned child of <paramref name="branch"/> with a neighbour when both fit in one node, keeping the tree dense after removals.</summary>
    private void MergeIfSmall(Branch branch, int i)
    {
        if (branch.Children[i].Length >= MergeBelow)
        {
            return;
        }
        var left = i + 1 < branch.Length ? i : i - 1;
        if (left < 0 || branch.Children[left].Length + branch.Children[left + 1].Length > NodeCapacity)
        {
            return;
        }
        // The left node takes the right one's content; the right one is only read.
        var target = Own(branch.Children[left]);
        if (target is Leaf leaf)
        {
            leaf.Absorb((Leaf)branch.Children[left + 1]);
        }
        else
        {
            ((Branch)target).Absorb((Branch)branch.Children[left + 1]);
        }
        branch.Put(left, target);
        branch.RemoveChild(left + 1);
    }

    /// <summary>
    /// A position in the order; moving past either end makes it invalid. Within a leaf a step is an
    /// index change; the next leaf is found from the root by rank (O(log n) once per 64 entries).
    /// The tree must not change while a cursor is in use.
    /// </summary>
    public struct Cursor
    {
        private readonly ScoreTree? _tree;
        private Leaf? _leaf;
        private int _index;
        private int _leafStart;

        internal Cursor(ScoreTree tree, Leaf leaf, int index, int leafStart)
        {
            _tree = tree;
            _leaf = leaf;
            _index = index;
            _leafStart = leafStart;
        }

        public readonly bool IsValid => _leaf is not null;

        public readonly byte[] Entry => _leaf!.Entries[_index];

        public void MoveNext()
        {
            if (++_index < _leaf!.Length)
            {
                return;
            }
            var next = _leafStart + _leaf.Length;
            if (next < _tree!.Count)
            {
                this = _tree.At(next);
            }
            else
            {
                _leaf = null;
            }
        }

        public void MovePrevious()
        {
            if (--_index >= 0)
            {
                return;
            }
            if (_leafStart > 0)
            {
                this = _tree!.At(_leafStart - 1);
            }
            else
            {
                _leaf = null;
            }
        }
    }

    internal abstract class Node(object owner)
    {
        /// <summary>Entries in this subtree.</summary>
        public int Count;

        /// <summary>Entries (leaf) or children (branch) held directly.</summary>
        public int Length;

        /// <summary>The tree that may change this node in place (see <see cref="ScoreTree.Own"/>).</summary>
        public object Owner { get; } = owner;

        public abstract byte[] Last { get; }

        /// <summary>A copy of this node (sharing its children or entries) that <paramref name="owner"/> may change.</summary>
        public abstract Node CopyFor(object owner);
    }

    internal sealed class Leaf(int capacity, object owner) : Node(owner)
    {
        public byte[][] Entries = new byte[capacity][];

        public override byte[] Last => Entries[Length - 1];

        public override Node CopyFor(object owner)
        {
            var copy = new Leaf(Entries.Length, owner) { Count = Count, Length = Length };
            Array.Copy(Entries, copy.Entries, Length);
            return copy;
        }

        /// <summary>Position of the first entry not before (score, member); <paramref name="found"/> when it is that entry.</summary>
        public int IndexOf(double score, ReadOnlySpan<byte> member, out bool found)
        {
            int low = 0, high = Length;
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                if (SortedSetEntry.Compare(Entries[middle], score, member) < 0)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }
            found = low < Length && SortedSetEntry.Compare(Entries[low], score, member) == 0;
            return low;
        }

        /// <summary>Inserts; when full, splits and returns the new right sibling.</summary>
        public Leaf? Insert(byte[] entry)
        {
            var at = IndexOf(SortedSetEntry.Score(entry), SortedSetEntry.Member(entry), out _);
            if (Length < NodeCapacity)
            {
                if (Length == Entries.Length)
                {
                    Array.Resize(ref Entries, Math.Min(NodeCapacity, Entries.Length * 2));
                }
                InsertAt(at, entry);
                return null;
            }
            // Appending at the end (ascending scores) keeps this leaf full instead of half empty.
            var keep = at == Length ? Length : Length / 2;
            var right = new Leaf(NodeCapacity, Owner);
            Array.Copy(Entries, keep, right.Entries, 0, Length - keep);
            Array.Clear(Entries, keep, Length - keep);
            right.Length = right.Count = Length - keep;
            Length = Count = keep;
            if (keep < NodeCapacity && at <= keep)
            {
                InsertAt(at, entry);
            }
            else
            {
                right.InsertAt(at - keep, entry);
            }
            return right;
        }

        public byte[]? Remove(double score, ReadOnlySpan<byte> member)
        {
            var at = IndexOf(score, member, out var found);
            if (!found)
            {
                return null;
            }
            var entry = Entries[at];
            Array.Copy(Entries, at + 1, Entries, at, Length - at - 1);
            Entries[--Length] = null!;
            Count--;
            return entry;
        }

        /// <summary>Takes a copy of all of <paramref name="right"/>'s entries (they fit).</summary>
        public void Absorb(Leaf right)
        {
            if (Entries.Length < Length + right.Length)
            {
                Array.Resize(ref Entries, NodeCapacity);
            }
            Array.Copy(right.Entries, 0, Entries, Length, right.Length);
            Length += right.Length;
            Count = Length;
        }

        private void InsertAt(int at, byte[] entry)
        {
            Array.Copy(Entries, at, Entries, at + 1, Length - at);
            Entries[at] = entry;
            Length++;
            Count++;
        }
    }

    internal sealed class Branch(object owner) : Node(owner)
    {
        public readonly Node[] Children = new Node[NodeCapacity];
        public readonly int[] Counts = new int[NodeCapacity];
        public readonly byte[][] Lasts = new byte[NodeCapacity][];

        public override byte[] Last => Lasts[Length - 1];

        public override Node CopyFor(object owner)
        {
            var copy = new Branch(owner) { Count = Count, Length = Length };
            Array.Copy(Children, copy.Children, Length);
            Array.Copy(Counts, copy.Counts, Length);
            Array.Copy(Lasts, copy.Lasts, Length);
            return copy;
        }

        /// <summary>The child that holds (or would hold) this score and member: the first whose last entry is not before it.</summary>
        public int ChildFor(double score, ReadOnlySpan<byte> member)
        {
            int low = 0, high = Length - 1;
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                if (SortedSetEntry.Compare(Lasts[middle], score, member) < 0)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }
            return low;
        }

        /// <summary>Refreshes the summary of child <paramref name="i"/> (count and last entry).</summary>
        public void Put(int i, Node child)
        {
            Children[i] = child;
            Counts[i] = child.Count;
            Lasts[i] = child.Last;
        }

        /// <summary>Inserts a child; when full, splits and returns the new right sibling.</summary>
        public Branch? InsertChild(int at, Node child)
        {
            if (Length < NodeCapacity)
            {
                ShiftRight(at);
                Put(at, child);
                Length++;
                return null;
            }
            var keep = at == Length ? Length : Length / 2;
            var right = new Branch(Owner);
            for (var i = keep; i < Length; i++)
            {
                right.Put(i - keep, Children[i]);
                Children[i] = null!;
                Lasts[i] = null!;
            }
            right.Length = Length - keep;
            Length = keep;
            if (keep < NodeCapacity && at <= keep)
            {
                ShiftRight(at);
                Put(at, child);
                Length++;
            }
            else
            {
                right.ShiftRight(at - keep);
                right.Put(at - keep, child);
                right.Length++;
            }
            Recount();
            right.Recount();
            return right;
        }

        public void RemoveChild(int i)
        {
            Array.Copy(Children, i + 1, Children, i, Length - i - 1);
            Array.Copy(Counts, i + 1, Counts, i, Length - i - 1);
            Array.Copy(Lasts, i + 1, Lasts, i, Length - i - 1);
            Length--;
            Children[Length] = null!;
            Lasts[Length] = null!;
        }

        /// <summary>Takes all of <paramref name="right"/>'s children (they fit); <paramref name="right"/> is only read.</summary>
        public void Absorb(Branch right)
        {
            for (var j = 0; j < right.Length; j++)
            {
                Put(Length + j, right.Children[j]);
            }
            Length += right.Length;
            Count += right.Count;
        }

        private void ShiftRight(int at)
        {
            Array.Copy(Children, at, Children, at + 1, Length - at);
            Array.Copy(Counts, at, Counts, at + 1, Length - at);
            Array.Copy(Lasts, at, Lasts, at + 1, Length - at);
        }

        private void Recount()
        {
            Count = 0;
            for (var i = 0; i < Length; i++)
            {
                Count += Counts[i];
            }
        }
    }
}

/// <summary>A monotone predicate over the order: true for a prefix of the entries, false for the rest.</summary>
internal interface IEntryBound
{
    bool IsBefore(byte[] entry);
}
