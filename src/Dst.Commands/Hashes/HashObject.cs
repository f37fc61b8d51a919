using Dst.Commands.Sets;
using Dst.Commands.Snapshots;
using Dst.Commands.Storage;

namespace Dst.Commands.Hashes;

/// <summary>
/// A hash value. Small hashes are a <see cref="Listpack"/> of field, value, field, value, ... in
/// insertion order; past <c>hash-max-listpack-entries</c> fields, or once a field or value is longer
/// than <c>hash-max-listpack-value</c>, the hash converts for good to an <see cref="EntryTable"/>
/// holding one <see cref="PackedEntry"/> per field. Conversion depends only on the operations, so
/// every replica picks the same encoding.
/// </summary>
public sealed class HashObject : StoredObject, ISampleable
{
    private const byte ListpackEncoding = 0;
    private const byte TableEncoding = 1;

    private Listpack? _listpack;
    private EntryTable? _table;

    public HashObject(byte[] key)
        : base(key) => _listpack = new Listpack();

    private HashObject(byte[] key, Listpack? listpack, EntryTable? table)
        : base(key)
    {
        _listpack = listpack;
        _table = table;
    }

    public override ValueKind Kind => ValueKind.Hash;

    public override string EncodingName => _table is null ? "listpack" : "hashtable";

    public int Count => _table?.Count ?? (_listpack!.Count / 2);

    public bool TryGet(ReadOnlySpan<byte> field, out ReadOnlySpan<byte> value)
    {
        if (_table is not null)
        {
            var slot = _table.Find(field);
            value = slot >= 0 ? PackedEntry.Value(_table.EntryAt(slot)) : default;
            return slot >= 0;
        }
        var offset = _listpack!.Find(field, stride: 2);
        value = offset >= 0 ? _listpack.Read(_listpack.Skip(offset), out _) : default;
        return offset >= 0;
    }

    public bool Contains(ReadOnlySpan<byte> field) => TryGet(field, out _);

    /// <summary>Sets <paramref name="field"/> to <paramref name="value"/>; true when the field is new.</summary>
    public bool Set(ReadOnlySpan<byte> field, ReadOnlySpan<byte> value, StateMachineOptions options)
    {
        if (_listpack is not null && (field.Length > options.HashMaxListpackValue || value.Length > options.HashMaxListpackValue))
        {
            ConvertToTable();
        }
        if (_table is not null)
        {
            var hash = KeyHash.Compute(field);
            var slot = _table.Find(field, hash);
            if (slot >= 0)
            {
                _table.ReplaceAt(slot, PackedEntry.Create(field, value));
                return false;
            }
            _table.Add(hash, PackedEntry.Create(field, value));
            return true;
        }
        var listpack = _listpack!;
        var offset = listpack.Find(field, stride: 2);
        if (offset >= 0)
        {
            listpack.Replace(listpack.Skip(offset), value);
            return false;
        }
        listpack.Append(field);
        listpack.Append(value);
        if (Count > options.HashMaxListpackEntries)
        {
            ConvertToTable();
        }
        return true;
    }

    /// <summary>Removes <paramref name="field"/>; false when it was not there.</summary>
    public bool Remove(ReadOnlySpan<byte> field)
    {
        if (_table is not null)
        {
            var slot = _table.Find(field);
            if (slot >= 0)
            {
                _table.RemoveAt(slot);
            }
            return slot >= 0;
        }
        var offset = _listpack!.Find(field, stride: 2);
        if (offset >= 0)
        {
            _listpack.Remove(offset, elements: 2);
        }
        return offset >= 0;
    }

    /// <summary>Handles are pair indexes in a listpack, slots in a table.</summary>
    int ISampleable.HandleLimit => _table?.Capacity ?? Count;

    bool ISampleable.IsHandle(int handle) => _table is null || _table.IsOccupied(handle);

    int ISampleable.RandomHandle(ref SeededRandom random) =>
        _table is null ? random.Next(Count) : _table.SampleSlot(ref random);

    /// <summary>The field and value behind a handle from <see cref="ISampleable"/> (linear in a listpack).</summary>
    internal FieldValue At(int handle)
    {
        if (_table is not null)
        {
            var entry = _table.EntryAt(handle);
            return new FieldValue(PackedEntry.Key(entry), PackedEntry.Value(entry));
        }
        var field = _listpack!.Read(_listpack.OffsetOf(handle * 2), out var next);
        return new FieldValue(field, _listpack.Read(next, out _));
    }

    /// <summary>
    /// One HSCAN step. A listpack hash has no buckets: everything comes back at once and the next
    /// cursor is 0 (as in Redis). A table gathers home buckets until <paramref name="count"/> fields
    /// or 10 x count buckets, then returns the next cursor (0 = done).
    /// </summary>
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

    internal bool IsListpack => _table is null;

    public Enumerator GetEnumerator() => new(_listpack, _table);

    public override StoredObject CloneWithKey(byte[] key) =>
        // Table entries are never modified in place (an update stores a new array), so clones share them,
        // and the table's slot chunks too until either side writes one: a copy-on-write copy of a big hash is cheap.
        new HashObject(key, _listpack?.Clone(), _table?.ShareCopy()) { ExpireAt = ExpireAt };

    public override long EstimateMemoryUsage() =>
        ObjectOverhead + PackedEntry.HeapSizeOfBytes(Key.Length)
        + (_table is null ? ListpackOverhead + _listpack!.HeapBytes : TableOverhead + _table.TableHeapBytes + _table.EntryHeapBytes);

    public override void WriteSnapshotValue(SnapshotWriter writer)
    {
        if (_table is null)
        {
            writer.WriteByte(ListpackEncoding);
            writer.WriteVarint((ulong)Count);
            foreach (var element in _listpack!)
            {
                writer.WriteBytes(element);
            }
            return;
        }
        writer.WriteByte(TableEncoding);
        writer.WriteVarint((ulong)_table.Capacity);
        writer.WriteVarint((ulong)_table.Count);
        foreach (var slot in _table.SnapshotOrder())
        {
            var entry = _table.EntryAt(slot);
            writer.WriteBytes(PackedEntry.Key(entry));
            writer.WriteBytes(PackedEntry.Value(entry));
        }
    }

    /// <summary>Reads what <see cref="WriteSnapshotValue"/> wrote, in the encoding it was written in.</summary>
    internal static HashObject ReadSnapshotValue(SnapshotReader reader, byte[] key, long expireAt)
    {
        var encoding = reader.ReadByte();
        switch (encoding)
        {
            case ListpackEncoding:
                var pairs = ReadCount(reader);
                var listpack = new Listpack();
                for (var i = 0; i < pairs * 2; i++)
                {
                    listpack.Append(reader.ReadBytes());
                }
                return new HashObject(key, listpack, null) { ExpireAt = expireAt };
            case TableEncoding:
                var table = EntryTable.WithCapacity(ReadCount(reader));
                var count = ReadCount(reader);
                for (var i = 0; i < count; i++)
                {
                    table.AddLoaded(PackedEntry.Create(reader.ReadBytes(), reader.ReadBytes()));
                }
                return new HashObject(key, null, table) { ExpireAt = expireAt };
            default:
                throw new InvalidDataException($"snapshot hash encoding {encoding} is not supported");
        }
    }

    private static int ReadCount(SnapshotReader reader)
    {
        var count = reader.ReadVarint();
        return count <= int.MaxValue / 2 ? (int)count : throw new InvalidDataException($"snapshot hash size {count} is out of range");
    }

    private void ConvertToTable()
    {
        var table = EntryTable.ForCount(Count);
        var elements = _listpack!.GetEnumerator();
        while (elements.MoveNext())
        {
            var field = elements.Current;
            elements.MoveNext();
            table.Add(KeyHash.Compute(field), PackedEntry.Create(field, elements.Current));
        }
        _table = table;
        _listpack = null;
    }

    // Object header and fields of this object, of a Listpack, of an EntryTable (64-bit runtime).
    private const int ObjectOverhead = 48;
    private const int ListpackOverhead = 32;
    private const int TableOverhead = 48;

    /// <summary>Field/value pairs in encoding order, without allocating.</summary>
    public ref struct Enumerator
    {
        private Listpack.Enumerator _elements;
        private EntryTable.SlotEnumerator _slots;
        private readonly bool _isTable;

        internal Enumerator(Listpack? listpack, EntryTable? table)
        {
            _isTable = table is not null;
            if (_isTable)
            {
                _slots = table!.GetEnumerator();
            }
            else
            {
                _elements = listpack!.GetEnumerator();
            }
        }

        public FieldValue Current { get; private set; }

        public bool MoveNext()
        {
            if (_isTable)
            {
                if (!_slots.MoveNext())
                {
                    return false;
                }
                Current = new FieldValue(PackedEntry.Key(_slots.Current), PackedEntry.Value(_slots.Current));
                return true;
            }
            if (!_elements.MoveNext())
            {
                return false;
            }
            var field = _elements.Current;
            _elements.MoveNext();
            Current = new FieldValue(field, _elements.Current);
            return true;
        }
    }
}

/// <summary>One field of a hash and its value, as iteration yields them.</summary>
public readonly ref struct FieldValue(ReadOnlySpan<byte> field, ReadOnlySpan<byte> value)
{
    public ReadOnlySpan<byte> Field { get; } = field;

    public ReadOnlySpan<byte> Value { get; } = value;
}
