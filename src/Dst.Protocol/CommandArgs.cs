using System.Buffers;
using System.Text;

namespace Dst.Protocol;

/// <summary>
/// The arguments of one request (argument 0 is the command name), stored back to back in one
/// reusable buffer. A connection owns one instance and refills it for every request, so parsing a
/// command allocates nothing once the buffers have grown to the connection's working size.
/// The same type carries a command decoded from a log entry. Each argument is stored behind its
/// length as a <see cref="Varint"/>, which is how a write entry encodes a command's arguments: a
/// write is encoded with one copy of <see cref="EncodedArguments"/> and decoded with one copy back
/// (<see cref="TryLoadEncoded"/>), not one per argument.
/// </summary>
public sealed class CommandArgs : IDisposable
{
    // An argument's length prefix: an int takes at most five LEB128 bytes.
    private const int MaxPrefixLength = 5;

    private byte[] _bytes;
    private (int Start, int Length)[] _ranges;
    private int _used;

    public CommandArgs(int initialBytes = 256, int initialArgs = 8)
    {
        _bytes = ArrayPool<byte>.Shared.Rent(initialBytes);
        _ranges = new (int, int)[initialArgs];
    }

    public int Count { get; private set; }

    /// <summary>Bytes the arguments take with their length prefixes (<see cref="EncodedArguments"/>).</summary>
    public int ByteCount => _used;

    /// <summary>Every argument in order, each behind its length as a <see cref="Varint"/>.</summary>
    public ReadOnlySpan<byte> EncodedArguments => _bytes.AsSpan(0, _used);

    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            var (start, length) = _ranges[index];
            return _bytes.AsSpan(start, length);
        }
    }

    /// <summary>The argument as memory; valid only until the next <see cref="Clear"/>.</summary>
    public ReadOnlyMemory<byte> GetMemory(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        var (start, length) = _ranges[index];
        return _bytes.AsMemory(start, length);
    }

    /// <summary>A copy of the argument that outlives this instance (for values stored in the keyspace).</summary>
    public byte[] ToArray(int index) => this[index].ToArray();

    /// <summary>The argument decoded as UTF-8, for names, options and error messages (not for hot paths).</summary>
    public string GetString(int index) => Encoding.UTF8.GetString(this[index]);

    public void Clear()
    {
        Count = 0;
        _used = 0;
    }

    public void Add(ReadOnlySpan<byte> argument) => argument.CopyTo(AddUninitialized(argument.Length));

    /// <summary>Reserves room for an argument of the given length and returns it to be filled in place.</summary>
    public Span<byte> AddUninitialized(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        EnsureBytes(MaxPrefixLength + length);
        if (Count == _ranges.Length)
        {
            Array.Resize(ref _ranges, _ranges.Length * 2);
        }
        _used += Varint.Write(_bytes.AsSpan(_used), (ulong)length);
        _ranges[Count++] = (_used, length);
        var span = _bytes.AsSpan(_used, length);
        _used += length;
        return span;
    }

    /// <summary>
    /// Replaces the arguments with <paramref name="count"/> taken from the start of
    /// <paramref name="encoded"/> (laid out as <see cref="EncodedArguments"/>), in one copy. Returns the
    /// bytes they took, or 0 when <paramref name="encoded"/> is truncated or a length is malformed
    /// (the arguments are then left empty).
    /// </summary>
    public int TryLoadEncoded(ReadOnlySpan<byte> encoded, int count)
    {
        Clear();
        EnsureArgumentCapacity(count);
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            if (!TrySkipEncoded(encoded, ref offset, out var start))
            {
                return 0;
            }
            _ranges[i] = (start, offset - start);
        }
        EnsureBytes(offset);
        encoded[..offset].CopyTo(_bytes);
        _used = offset;
        Count = count;
        return offset;
    }

    /// <summary>
    /// The bytes <paramref name="count"/> arguments laid out as <see cref="EncodedArguments"/> take at the
    /// start of <paramref name="encoded"/>, or 0 when it is truncated or a length is malformed: what
    /// <see cref="TryLoadEncoded"/> checks, without copying anything.
    /// </summary>
    public static int MeasureEncoded(ReadOnlySpan<byte> encoded, int count)
    {
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            if (!TrySkipEncoded(encoded, ref offset, out _))
            {
                return 0;
            }
        }
        return offset;
    }

    /// <summary>Moves <paramref name="offset"/> past one length-prefixed argument; <paramref name="start"/> is where its bytes begin.</summary>
    private static bool TrySkipEncoded(ReadOnlySpan<byte> encoded, ref int offset, out int start)
    {
        var prefix = Varint.TryRead(encoded[offset..], out var length);
        start = offset + prefix;
        if (prefix == 0 || length > (ulong)(encoded.Length - start))
        {
            return false;
        }
        offset = start + (int)length;
        return true;
    }

    /// <summary>Makes room for <paramref name="count"/> arguments up front, when a multibulk header announces them.</summary>
    public void EnsureArgumentCapacity(int count)
    {
        if (count > _ranges.Length)
        {
            Array.Resize(ref _ranges, (int)Math.Min(Array.MaxLength, Math.Max(count, _ranges.Length * 2L)));
        }
    }

    /// <summary>True when argument <paramref name="index"/> equals <paramref name="ascii"/> ignoring ASCII case.</summary>
    public bool EqualsIgnoreCase(int index, ReadOnlySpan<byte> ascii) => Ascii.EqualsIgnoreCase(this[index], ascii);

    private void EnsureBytes(int extra)
    {
        if (_used + extra <= _bytes.Length)
        {
            return;
        }
        var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Max((long)_used + extra, _bytes.Length * 2L)));
        _bytes.AsSpan(0, _used).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_bytes);
        _bytes = grown;
    }

    public void Dispose()
    {
        if (_bytes.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = [];
        }
    }
}
