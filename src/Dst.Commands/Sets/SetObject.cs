using System.Buffers.Text;
using Dst.Commands.Hashes;
using Dst.Commands.Snapshots;
using Dst.Commands.Storage;

namespace Dst.Commands.Sets;

/// <summary>
/// A set value in one of three encodings, chosen as Redis 7.2 chooses them: an <see cref="IntSet"/>
/// while every member is an integer (up to <c>set-max-intset-entries</c>), a <see cref="Listpack"/>
/// for small sets of short strings (<c>set-max-listpack-entries</c>, <c>set-max-listpack-value</c>),
/// and an <see cref="EntryTable"/> otherwise. Conversions only ever go towards the table, and depend
/// only on the operations, so every replica picks the same encoding.
/// </summary>
public sealed class SetObject : StoredObject, ISampleable
{
    private const byte IntSetEncoding = 0;
    private const byte ListpackEncoding = 1;
    private const byte TableEncoding = 2;

    private IntSet? _ints;
    private Listpack? _listpack;
    private EntryTable? _table;

    /// <summary>An empty set in the intset encoding (the destination of SINTERSTORE and friends).</summary>
    public SetObject(byte[] key)
        : base(key) => _ints = new IntSet();

    /// <summary>
    /// Redis's <c>setTypeCreate</c>: an empty set in the encoding that suits <paramref name="firstMember"/>
    /// and about <paramref name="sizeHint"/> members.
    /// </summary>
    public SetObject(byte[] key, ReadOnlySpan<byte> firstMember, int sizeHint, StateMachineOptions options)
        : base(key)
    {
        if (Integers.TryParse(firstMember, out _) && sizeHint <= options.SetMaxIntsetEntries)
        {
            _ints = new IntSet();
        }
        else if (sizeHint <= options.SetMaxListpackEntries)
        {
            _listpack = new Listpack();
        }
        else
        {
            _table = EntryTable.ForCount(sizeHint);
        }
    }

    private SetObject(byte[] key, IntSet? ints, Listpack? listpack, EntryTable? table)
        : base(key)
    {
        _ints = ints;
        _listpack = listpack;
        _table = table;
    }

    public override ValueKind Kind => ValueKind.Set;

    public override string EncodingName => _ints is not null ? "intset" : _listpack is not null ? "listpack" : "hashtable";

    public int Count => _ints?.Count ?? _listpack?.Count ?? _table!.Count;

    internal bool IsCompact => _table is null;

    public bool Contains(ReadOnlySpan<byte> member)
    {
        if (_ints is not null)
        {
            return Integers.TryParse(member, out var value) && _ints.Contains(value);
        }
        return _listpack is not null ? _listpack.Find(member, stride: 1) >= 0 : _table!.Find(member) >= 0;
    }

    /// <summary>Adds <paramref name="member"/>; false when it was already there. Converts the encoding past the thresholds.</summary>
    public bool Add(ReadOnlySpan<byte> member, StateMachineOptions options)
    {
        if (_ints is not null)
        {
            if (Integers.TryParse(member, out var value))
            {
                if (!_ints.Add(value))
                {
                    return false;
                }
                if (_ints.Count > options.SetMaxIntsetEntries)
                {
                    ConvertToTable(Count);
                }
                return true;
            }
            if (_ints.Count < options.SetMaxListpackEntries && member.Length <= options.SetMaxListpackValue
                && LongestIntegerLength() <= options.SetMaxListpackValue)
            {
                ConvertToListpack();
            }
            else
            {
                ConvertToTable(Count + 1);
            }
        }
        if (_listpack is not null)
        {
            if (_listpack.Find(member, stride: 1) >= 0)
            {
                return false;
            }
            if (_listpack.Count < options.SetMaxListpackEntries && member.Length <= options.SetMaxListpackValue)
            {
                _listpack.Append(member);
                return true;
            }
            ConvertToTable(Count + 1);
        }
        var hash = KeyHash.Compute(member);
        if (_table!.Find(member, hash) >= 0)
        {
            return false;
        }
        _table.Add(hash, PackedEntry.Create(member, []));
        return true;
    }

    /// <summary>Redis's <c>setTypeMaybeConvert</c>: an add of about <paramref name="sizeHint"/> members that cannot stay compact converts up front.</summary>
    public bool ConvertsForAdding(int sizeHint, StateMachineOptions options) =>
        (_listpack is not null && sizeHint > options.SetMaxListpackEntries) || (_ints is not null && sizeHint > options.SetMaxIntsetEntries);

    public void ConvertForAdding(int sizeHint) => ConvertToTable(Count + sizeHint);

    public bool Remove(ReadOnlySpan<byte> member)
    {
        if (_ints is not null)
        {
            return Integers.TryParse(member, out var value) && _ints.Remove(value);
        }
        if (_listpack is not null)
        {
            var offset = _listpack.Find(member, stride: 1);
            if (offset >= 0)
            {
                _listpack.Remove(offset, elements: 1);
            }
            return offset >= 0;
        }
        var slot = _table!.Find(member);
        if (slot >= 0)
        {
            _table.RemoveAt(slot);
        }
        return slot >= 0;
    }

    /// <summary>Handles are indexes in the compact encodings and slots in a table.</summary>
    int ISampleable.HandleLimit => _table?.Capacity ?? Count;

    bool ISampleable.IsHandle(int handle) => _table is null || _table.IsOccupied(handle);

    int ISampleable.RandomHandle(ref SeededRandom random) => RandomHandle(ref random);

    internal int RandomHandle(ref SeededRandom random) => _table is null ? random.Next(Count) : _table.SampleSlot(ref random);

    /// <summary>The member behind a handle; an intset member is formatted into <paramref name="scratch"/> (20 bytes).</summary>
    internal ReadOnlySpan<byte> At(int handle, Span<byte> scratch)
    {
        if (_ints is not null)
        {
            return Format(_ints[handle], scratch);
        }
        return _listpack is not null ? _listpack.Read(_listpack.OffsetOf(handle), out _) : PackedEntry.Key(_table!.EntryAt(handle));
    }

    /// <summary>Removes the member behind a handle (SPOP); other handles may change.</summary>
    internal void RemoveAt(int handle)
    {
        if (_ints is not null)
        {
            _ints.RemoveAt(handle);
        }
        else if (_listpack is not null)
        {
            _listpack.Remove(_listpack.OffsetOf(handle), elements: 1);
        }
        else
        {
            _table!.RemoveAt(handle);
        }
    }

    /// <summary>One SSCAN step over a table (compact encodings are answered whole by the caller).</summary>
    internal ulong ScanTable(ulong cursor, int count, List<object> into)
    {
        var table = _table!;
        var budget = Math.Max(1L, count * 10L);
        do
        {
            table.CollectBucket(cursor, into);
            cursor = table.NextCursor(cursor);
        }
        while (cursor != 0 && --budget > 0 && into.Count < count);
        return cursor;
    }

    /// <summary>The members in encoding order; intset members are formatted into <paramref name="scratch"/> (20 bytes).</summary>
    public MemberEnumerator Members(Span<byte> scratch) => new(_ints, _listpack, _table, scratch);

    public override StoredObject CloneWithKey(byte[] key) =>
        // Table entries are never modified in place, so the clone shares them, and the table's slot
        // chunks too until either side writes one: a copy-on-write copy of a big set is cheap.
        new SetObject(key, _ints?.Clone(), _listpack?.Clone(), _table?.ShareCopy()) { ExpireAt = ExpireAt };

    public override long EstimateMemoryUsage() =>
        ObjectOverhead + PackedEntry.HeapSizeOfBytes(Key.Length) + (_ints is not null ? EncodingOverhead + _ints.HeapBytes
            : _listpack is not null ? EncodingOverhead + _listpack.HeapBytes
            : EncodingOverhead + _table!.TableHeapBytes + _table.EntryHeapBytes);

    public override void WriteSnapshotValue(SnapshotWriter writer)
    {
        if (_ints is not null)
        {
            writer.WriteByte(IntSetEncoding);
            writer.WriteVarint((ulong)_ints.Count);
            for (var i = 0; i < _ints.Count; i++)
            {
                writer.WriteInt64(_ints[i]);
            }
        }
        else if (_listpack is not null)
        {
            writer.WriteByte(ListpackEncoding);
            writer.WriteVarint((ulong)_listpack.Count);
            foreach (var member in _listpack)
            {
                writer.WriteBytes(member);
            }
        }
        else
        {
            writer.WriteByte(TableEncoding);
            writer.WriteVarint((ulong)_table!.Capacity);
            writer.WriteVarint((ulong)_table.Count);
            foreach (var slot in _table.SnapshotOrder())
            {
                writer.WriteBytes(PackedEntry.Key(_table.EntryAt(slot)));
            }
        }
    }

    /// <summary>Reads what <see cref="WriteSnapshotValue"/> wrote, in the encoding it was written in.</summary>
    internal static SetObject ReadSnapshotValue(SnapshotReader reader, byte[] key, long expireAt)
    {
        var encoding = reader.ReadByte();
        switch (encoding)
        {
            case IntSetEncoding:
                var ints = new IntSet();
                var intCount = ReadCount(reader);
                for (var i = 0; i < intCount; i++)
                {
                    var value = reader.ReadInt64();
                    // Members were written ascending; anything else is damage.
                    if ((i > 0 && value <= ints[i - 1]) || !ints.Add(value))
                    {
                        throw new InvalidDataException("snapshot intset is not strictly ascending");
                    }
                }
                return new SetObject(key, ints, null, null) { ExpireAt = expireAt };
            case ListpackEncoding:
                var listpack = new Listpack();
                var memberCount = ReadCount(reader);
                for (var i = 0; i < memberCount; i++)
                {
                    listpack.Append(reader.ReadBytes());
                }
                return new SetObject(key, null, listpack, null) { ExpireAt = expireAt };
            case TableEncoding:
                var table = EntryTable.WithCapacity(ReadCount(reader));
                var count = ReadCount(reader);
                for (var i = 0; i < count; i++)
                {
                    table.AddLoaded(PackedEntry.Create(reader.ReadBytes(), []));
                }
                return new SetObject(key, null, null, table) { ExpireAt = expireAt };
            default:
                throw new InvalidDataException($"snapshot set encoding {encoding} is not supported");
        }
    }

    internal static ReadOnlySpan<byte> Format(long value, Span<byte> scratch)
    {
        Utf8Formatter.TryFormat(value, scratch, out var written);
        return scratch[..written];
    }

    private static int ReadCount(SnapshotReader reader)
    {
        var count = reader.ReadVarint();
        return count <= int.MaxValue ? (int)count : throw new InvalidDataException($"snapshot set size {count} is out of range");
    }

    private int LongestIntegerLength() =>
        _ints!.Count == 0 ? 0 : Math.Max(Integers.DigitCount(_ints[0]), Integers.DigitCount(_ints[_ints.Count - 1]));

    private void ConvertToListpack()
    {
        var listpack = new Listpack();
        Span<byte> scratch = stackalloc byte[StringValue.MaxIntegerLength];
        for (var i = 0; i < _ints!.Count; i++)
        {
            listpack.Append(Format(_ints[i], scratch));
        }
        _listpack = listpack;
        _ints = null;
    }

    private void ConvertToTable(int expectedCount)
    {
        var table = EntryTable.ForCount(expectedCount);
        foreach (var member in Members(stackalloc byte[StringValue.MaxIntegerLength]))
        {
            table.Add(KeyHash.Compute(member), PackedEntry.Create(member, []));
        }
        _table = table;
        _ints = null;
        _listpack = null;
    }

    // Object header and fields of this object, and of the encoding's own object (64-bit runtime).
    private const int ObjectOverhead = 56;
    private const int EncodingOverhead = 40;

    /// <summary>Members in encoding order without allocating (intsets ascending, listpacks in insertion order).</summary>
    public ref struct MemberEnumerator
    {
        private readonly IntSet? _ints;
        private readonly Span<byte> _scratch;
        private readonly bool _isTable;
        private Listpack.Enumerator _elements;
        private EntryTable.SlotEnumerator _slots;
        private int _index;

        internal MemberEnumerator(IntSet? ints, Listpack? listpack, EntryTable? table, Span<byte> scratch)
        {
            _ints = ints;
            _scratch = scratch;
            _isTable = table is not null;
            _index = -1;
            if (listpack is not null)
            {
                _elements = listpack.GetEnumerator();
            }
            if (table is not null)
            {
                _slots = table.GetEnumerator();
            }
        }

        public ReadOnlySpan<byte> Current { get; private set; }

        public readonly MemberEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_ints is not null)
            {
                if (++_index >= _ints.Count)
                {
                    return false;
                }
                Current = Format(_ints[_index], _scratch);
                return true;
            }
            if (_isTable)
            {
                if (!_slots.MoveNext())
                {
                    return false;
                }
                Current = PackedEntry.Key(_slots.Current);
                return true;
            }
            if (!_elements.MoveNext())
            {
                return false;
            }
            Current = _elements.Current;
            return true;
        }
    }
}
