using Dst.Commands.Storage;
using Dst.Protocol;

namespace Dst.Commands.Hashes;

/// <summary>
/// The "listpack" encoding: byte strings back to back in one array, each <c>[length: varint][bytes]</c>,
/// like Redis's listpack. Small hashes store field, value, field, value, ...; small sets store members.
/// Lookups are linear, which is what the size thresholds bound.
/// </summary>
internal sealed class Listpack
{
    private byte[] _bytes;
    private int _length;

    public Listpack(int capacity = 32) => _bytes = new byte[capacity];

    private Listpack(byte[] bytes, int length, int count)
    {
        _bytes = bytes;
        _length = length;
        Count = count;
    }

    /// <summary>Number of strings held (twice the field count for a hash).</summary>
    public int Count { get; private set; }

    public long HeapBytes => PackedEntry.HeapSizeOfBytes(_bytes.Length);

    /// <summary>Offset of the first element equal to <paramref name="item"/> among elements 0, stride, 2 x stride, ...; or -1.</summary>
    public int Find(ReadOnlySpan<byte> item, int stride)
    {
        var offset = 0;
        while (offset < _length)
        {
            var candidate = Read(offset, out var next);
            if (candidate.SequenceEqual(item))
            {
                return offset;
            }
            offset = next;
            for (var skip = 1; skip < stride; skip++)
            {
                offset = Skip(offset);
            }
        }
        return -1;
    }

    /// <summary>The element at <paramref name="offset"/>; <paramref name="next"/> is the offset after it.</summary>
    public ReadOnlySpan<byte> Read(int offset, out int next)
    {
        var start = DataStart(offset, out var length);
        next = start + length;
        return _bytes.AsSpan(start, length);
    }

    public int Skip(int offset)
    {
        var start = DataStart(offset, out var length);
        return start + length;
    }

    /// <summary>Offset of element <paramref name="index"/> (a linear walk).</summary>
    public int OffsetOf(int index)
    {
        var offset = 0;
        for (var i = 0; i < index; i++)
        {
            offset = Skip(offset);
        }
        return offset;
    }

    public void Append(ReadOnlySpan<byte> item)
    {
        var size = Varint.SizeOf((ulong)item.Length) + item.Length;
        EnsureRoom(size);
        var position = _length + Varint.Write(_bytes.AsSpan(_length), (ulong)item.Length);
        item.CopyTo(_bytes.AsSpan(position));
        _length += size;
        Count++;
    }

    /// <summary>Overwrites the element at <paramref name="offset"/> with <paramref name="item"/>, moving the tail as needed.</summary>
    public void Replace(int offset, ReadOnlySpan<byte> item)
    {
        var oldEnd = Skip(offset);
        var size = Varint.SizeOf((ulong)item.Length) + item.Length;
        var delta = size - (oldEnd - offset);
        if (delta > 0)
        {
            EnsureRoom(delta);
        }
        _bytes.AsSpan(oldEnd, _length - oldEnd).CopyTo(_bytes.AsSpan(oldEnd + delta));
        var position = offset + Varint.Write(_bytes.AsSpan(offset), (ulong)item.Length);
        item.CopyTo(_bytes.AsSpan(position));
        _length += delta;
    }

    /// <summary>Removes <paramref name="elements"/> consecutive elements starting at <paramref name="offset"/>.</summary>
    public void Remove(int offset, int elements)
    {
        var end = offset;
        for (var i = 0; i < elements; i++)
        {
            end = Skip(end);
        }
        _bytes.AsSpan(end, _length - end).CopyTo(_bytes.AsSpan(offset));
        _length -= end - offset;
        Count -= elements;
        // Give memory back once the array is mostly empty.
        if (_bytes.Length > 64 && _length * 4 < _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(32, _length * 2));
        }
    }

    public Listpack Clone() => new(_bytes.AsSpan(0, _length).ToArray(), _length, Count);

    public Enumerator GetEnumerator() => new(_bytes.AsSpan(0, _length));

    private int DataStart(int offset, out int length)
    {
        // Elements below 128 bytes, the common case, have a one-byte length.
        if (_bytes[offset] < 0x80)
        {
            length = _bytes[offset];
            return offset + 1;
        }
        var consumed = Varint.TryRead(_bytes.AsSpan(offset), out var value);
        length = (int)value;
        return offset + consumed;
    }

    private void EnsureRoom(int extra)
    {
        if (_length + extra > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_length + extra, _bytes.Length + (_bytes.Length / 2)));
        }
    }

    /// <summary>Walks the elements in order without allocating.</summary>
    public ref struct Enumerator(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _next;

        public ReadOnlySpan<byte> Current { get; private set; }

        public bool MoveNext()
        {
            if (_next >= _bytes.Length)
            {
                return false;
            }
            var consumed = Varint.TryRead(_bytes[_next..], out var length);
            Current = _bytes.Slice(_next + consumed, (int)length);
            _next += consumed + (int)length;
            return true;
        }
    }
}
