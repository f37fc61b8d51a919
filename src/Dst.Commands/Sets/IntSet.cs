using System.Buffers.Binary;
using Dst.Commands.Hashes;

namespace Dst.Commands.Sets;

/// <summary>
/// The "intset" encoding: distinct integers sorted ascending in one array, each 2, 4 or 8 bytes
/// wide; the width grows when a member needs it (Redis's intset upgrade) and never shrinks.
/// Membership is a binary search.
/// </summary>
internal sealed class IntSet
{
    private byte[] _bytes;
    private int _width;

    public IntSet()
    {
        _bytes = new byte[16];
        _width = sizeof(short);
    }

    private IntSet(byte[] bytes, int width, int count)
    {
        _bytes = bytes;
        _width = width;
        Count = count;
    }

    public int Count { get; private set; }

    public long HeapBytes => PackedEntry.HeapSizeOfBytes(_bytes.Length);

    public long this[int index] => _width switch
    {
        sizeof(short) => BinaryPrimitives.ReadInt16LittleEndian(_bytes.AsSpan(index * sizeof(short))),
        sizeof(int) => BinaryPrimitives.ReadInt32LittleEndian(_bytes.AsSpan(index * sizeof(int))),
        _ => BinaryPrimitives.ReadInt64LittleEndian(_bytes.AsSpan(index * sizeof(long))),
    };

    public bool Contains(long value) => Search(value) >= 0;

    /// <summary>Adds <paramref name="value"/>; false when it was already a member.</summary>
    public bool Add(long value)
    {
        var needed = WidthOf(value);
        if (needed > _width)
        {
            Upgrade(needed);
        }
        var index = Search(value);
        if (index >= 0)
        {
            return false;
        }
        index = ~index;
        if ((Count + 1) * _width > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max((Count + 1) * _width, _bytes.Length * 3 / 2));
        }
        _bytes.AsSpan(index * _width, (Count - index) * _width).CopyTo(_bytes.AsSpan((index + 1) * _width));
        Write(index, value);
        Count++;
        return true;
    }

    public bool Remove(long value)
    {
        var index = Search(value);
        if (index < 0)
        {
            return false;
        }
        _bytes.AsSpan((index + 1) * _width, (Count - index - 1) * _width).CopyTo(_bytes.AsSpan(index * _width));
        Count--;
        return true;
    }

    public void RemoveAt(int index) => Remove(this[index]);

    public IntSet Clone() => new(_bytes.AsSpan(0, Count * _width).ToArray(), _width, Count);

    private int Search(long value)
    {
        int low = 0, high = Count - 1;
        while (low <= high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            var current = this[middle];
            if (current == value)
            {
                return middle;
            }
            if (current < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return ~low;
    }

    private void Write(int index, long value)
    {
        switch (_width)
        {
            case sizeof(short):
                BinaryPrimitives.WriteInt16LittleEndian(_bytes.AsSpan(index * sizeof(short)), (short)value);
                break;
            case sizeof(int):
                BinaryPrimitives.WriteInt32LittleEndian(_bytes.AsSpan(index * sizeof(int)), (int)value);
                break;
            default:
                BinaryPrimitives.WriteInt64LittleEndian(_bytes.AsSpan(index * sizeof(long)), value);
                break;
        }
    }

    private void Upgrade(int width)
    {
        var old = new IntSet(_bytes, _width, Count);
        _bytes = new byte[Math.Max(16, (Count + 1) * width)];
        _width = width;
        for (var i = 0; i < Count; i++)
        {
            Write(i, old[i]);
        }
    }

    private static int WidthOf(long value) => value switch
    {
        >= short.MinValue and <= short.MaxValue => sizeof(short),
        >= int.MinValue and <= int.MaxValue => sizeof(int),
        _ => sizeof(long),
    };
}
