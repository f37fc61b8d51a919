using System.Buffers;
using System.Buffers.Binary;
using Dst.Commands.Hashes;
using Dst.Commands.Storage;

namespace Dst.Commands.Snapshots;

/// <summary>
/// Reads a snapshot (see <see cref="SnapshotFormat"/>) from a stream through one pooled buffer,
/// validating every length, the key count and the CRC; any inconsistency is an <see cref="InvalidDataException"/>.
/// </summary>
public sealed class SnapshotReader : IDisposable
{
    private readonly Stream _source;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(SnapshotFormat.BufferSize);
    private int _start;
    private int _end;
    private uint _crc;

    private SnapshotReader(Stream source) => _source = source;

    /// <summary>Loads the snapshot into an empty <paramref name="into"/>; returns its applied index.</summary>
    internal static ulong Read(Stream source, Keyspace into)
    {
        using var reader = new SnapshotReader(source);
        Span<byte> magic = stackalloc byte[SnapshotFormat.Magic.Length];
        reader.ReadExactly(magic);
        if (!magic.SequenceEqual(SnapshotFormat.Magic))
        {
            throw new InvalidDataException("not a Dst snapshot (bad magic or unsupported version)");
        }
        var appliedIndex = reader.ReadUInt64();
        var count = reader.ReadUInt64();
        if (count > int.MaxValue)
        {
            throw new InvalidDataException($"snapshot key count {count} is out of range");
        }
        into.Reserve((int)count);
        for (ulong i = 0; i < count; i++)
        {
            into.AddLoaded(reader.ReadItem());
        }
        if (reader.ReadByte() != SnapshotFormat.EndMarker || reader.ReadUInt64() != count)
        {
            throw new InvalidDataException("snapshot trailer does not match its key count");
        }
        var computed = reader.ChecksumSoFar();
        Span<byte> stored = stackalloc byte[sizeof(uint)];
        reader.ReadExactly(stored);
        if (BinaryPrimitives.ReadUInt32LittleEndian(stored) != computed)
        {
            throw new InvalidDataException("snapshot checksum mismatch");
        }
        return appliedIndex;
    }

    public byte ReadByte()
    {
        if (_start < _end)
        {
            return _buffer[_start++]; // varints are read a byte at a time: skip the span for them
        }
        Span<byte> one = stackalloc byte[1];
        ReadExactly(one);
        return one[0];
    }

    public long ReadInt64()
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        ReadExactly(bytes);
        return BinaryPrimitives.ReadInt64LittleEndian(bytes);
    }

    public ulong ReadUInt64() => (ulong)ReadInt64();

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
        throw new InvalidDataException("snapshot varint is too long");
    }

    /// <summary>A length-prefixed byte string, bounded by <paramref name="maxLength"/>.</summary>
    public byte[] ReadBytes(long maxLength = int.MaxValue)
    {
        var length = ReadVarint();
        if (length > (ulong)Math.Min(maxLength, Array.MaxLength))
        {
            throw new InvalidDataException($"snapshot string length {length} is out of range");
        }
        var bytes = GC.AllocateUninitializedArray<byte>((int)length);
        ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Fills <paramref name="destination"/> with the next bytes (written by <see cref="SnapshotWriter.WriteBytesRaw"/>).</summary>
    public void ReadExactly(Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            if (_start == _end)
            {
                Refill();
            }
            var chunk = Math.Min(destination.Length, _end - _start);
            _buffer.AsSpan(_start, chunk).CopyTo(destination);
            _start += chunk;
            destination = destination[chunk..];
        }
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private object ReadItem()
    {
        var kind = (ValueKind)ReadByte();
        var flags = ReadByte();
        var expireAt = (flags & SnapshotFormat.HasExpiry) != 0 ? ReadInt64() : -1;
        if (expireAt < -1)
        {
            throw new InvalidDataException($"snapshot expiry {expireAt} is out of range");
        }
        var key = ReadBytes();
        switch (kind)
        {
            case ValueKind.String when (flags & SnapshotFormat.IntegerEncoding) != 0:
                return PackedString.CreateInteger(key, ReadInt64(), expireAt);
            case ValueKind.String:
                var value = ReadBytes();
                return PackedString.Create(key, value, expireAt);
            case ValueKind.List:
                return Lists.ListObject.ReadSnapshot(this, key, expireAt);
            case ValueKind.SortedSet:
                return SortedSets.SortedSetObject.ReadSnapshot(this, key, expireAt);
            case ValueKind.Hash:
                return HashObject.ReadSnapshotValue(this, key, expireAt);
            case ValueKind.Set:
                return Sets.SetObject.ReadSnapshotValue(this, key, expireAt);
            // New data types: read their StoredObject here, by kind.
            default:
                throw new InvalidDataException($"snapshot value kind {(byte)kind} is not supported");
        }
    }

    /// <summary>CRC32C of every byte consumed so far.</summary>
    private uint ChecksumSoFar() => Crc32C.Append(_crc, _buffer.AsSpan(0, _start));

    private void Refill()
    {
        _crc = Crc32C.Append(_crc, _buffer.AsSpan(0, _end));
        _start = 0;
        _end = _source.Read(_buffer, 0, _buffer.Length);
        if (_end == 0)
        {
            throw new InvalidDataException("snapshot ends early");
        }
    }
}
