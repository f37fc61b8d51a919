using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using Dst.Commands.Storage;
using Dst.Protocol;

namespace Dst.Commands.Snapshots;

/// <summary>
/// Streams a keyspace to a snapshot (see <see cref="SnapshotFormat"/>) through one pooled buffer,
/// so writing a snapshot of any size holds only that buffer, never the whole image.
/// </summary>
public sealed class SnapshotWriter : IDisposable
{
    private readonly Stream _destination;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(SnapshotFormat.BufferSize);
    private int _used;
    private uint _crc;

    private SnapshotWriter(Stream destination) => _destination = destination;

    /// <summary>Writes a captured keyspace, in table order; checks <paramref name="cancellation"/> every few thousand keys.</summary>
    internal static void Write(KeyspaceCapture keyspace, ulong appliedIndex, Stream destination, CancellationToken cancellation)
    {
        using var writer = new SnapshotWriter(destination);
        writer.WriteBytesRaw(SnapshotFormat.Magic);
        writer.WriteUInt64(appliedIndex);
        writer.WriteUInt64((ulong)keyspace.Count);
        ulong written = 0;
        foreach (var item in keyspace.Items)
        {
            if (item is null)
            {
                continue;
            }
            writer.WriteItem(item);
            if (++written % 4096 == 0)
            {
                cancellation.ThrowIfCancellationRequested();
            }
        }
        writer.WriteByte(SnapshotFormat.EndMarker);
        writer.WriteUInt64(written);
        writer.Flush();
        Span<byte> crc = stackalloc byte[sizeof(uint)];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, writer._crc);
        destination.Write(crc);
        destination.Flush();
    }

    public void WriteByte(byte value)
    {
        Reserve(1)[0] = value;
        _used++;
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(Reserve(sizeof(long)), value);
        _used += sizeof(long);
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(Reserve(sizeof(ulong)), value);
        _used += sizeof(ulong);
    }

    public void WriteVarint(ulong value)
    {
        // Reserve may flush and reset _used, so it must run before _used is read.
        var written = Varint.Write(Reserve(Varint.MaxLength64), value);
        _used += written;
    }

    /// <summary>A length-prefixed byte string.</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        // Most strings (list items, fields, members) fit the buffer's free room: one bounds check and one
        // copy, where the general path below reserves room twice and copies in a loop.
        var room = _buffer.AsSpan(_used);
        if (room.Length >= Varint.MaxLength64 + bytes.Length)
        {
            var prefix = Varint.Write(room, (ulong)bytes.Length);
            bytes.CopyTo(room[prefix..]);
            _used += prefix + bytes.Length;
            return;
        }
        WriteVarint((ulong)bytes.Length);
        WriteBytesRaw(bytes);
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void WriteItem(object item)
    {
        var expireAt = Keyspace.ExpiryOf(item);
        var flags = expireAt >= 0 ? SnapshotFormat.HasExpiry : (byte)0;
        if (item is byte[] packed)
        {
            var isInteger = PackedString.IsInteger(packed);
            WriteByte((byte)ValueKind.String);
            WriteByte((byte)(flags | (isInteger ? SnapshotFormat.IntegerEncoding : 0)));
            WriteExpiry(expireAt);
            WriteBytes(PackedString.Key(packed));
            if (isInteger)
            {
                WriteInt64(PackedString.IntegerValue(packed));
            }
            else
            {
                WriteBytes(PackedString.Value(packed));
            }
            return;
        }
        var stored = (StoredObject)item;
        WriteByte((byte)stored.Kind);
        WriteByte(flags);
        WriteExpiry(expireAt);
        WriteBytes(stored.Key);
        stored.WriteSnapshotValue(this);
    }

    private void WriteExpiry(long expireAt)
    {
        if (expireAt >= 0)
        {
            WriteInt64(expireAt);
        }
    }

    /// <summary>Bytes without a length prefix (the reader knows their length from what came before).</summary>
    public void WriteBytesRaw(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var room = Reserve(1);
            var chunk = Math.Min(room.Length, bytes.Length);
            bytes[..chunk].CopyTo(room);
            _used += chunk;
            bytes = bytes[chunk..];
        }
    }

    /// <summary>
    /// Room for at least <paramref name="size"/> bytes (at most <see cref="SnapshotFormat.BufferSize"/>) to write
    /// into directly, then say how many were written with <see cref="Advance"/>.
    /// </summary>
    public Span<byte> GetSpan(int size)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, SnapshotFormat.BufferSize);
        return Reserve(size);
    }

    /// <summary>Counts <paramref name="count"/> bytes written into the span <see cref="GetSpan"/> returned.</summary>
    public void Advance(int count) => _used += count;

    /// <summary>At least <paramref name="size"/> free bytes (at most the buffer's size), flushing when the buffer is full.</summary>
    private Span<byte> Reserve(int size)
    {
        if (_buffer.Length - _used < size)
        {
            Flush();
        }
        return _buffer.AsSpan(_used);
    }

    private void Flush()
    {
        _crc = Crc32C.Append(_crc, _buffer.AsSpan(0, _used));
        _destination.Write(_buffer, 0, _used);
        _used = 0;
    }
}

/// <summary>CRC32C over spans with the hardware instruction where there is one.</summary>
internal static class Crc32C
{
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        crc = ~crc;
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }
        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }
        return ~crc;
    }
}
