using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Dst.Storage;

/// <summary>
/// A small record saved atomically and durably by alternating between two slots of one file. Each
/// save writes the slot the previous save did not use, with a higher sequence number and a CRC32C,
/// then flushes it: one write and one fdatasync, no rename. A save torn by a crash leaves the other
/// slot intact, so <see cref="Load"/> returns the last completed save.
/// The slots sit in different 4 KiB pages so a torn page write cannot damage both.
/// Slot layout (little-endian): magic u32, payload length u32, sequence u64, payload, CRC32C u32
/// over everything before it. Not thread-safe: one owner.
/// </summary>
public sealed class DualSlotFile : IDisposable
{
    public const int MaxPayload = 1024;
    private const int SlotStride = 4096;
    private const int SlotHeader = 16;
    private const uint Magic = 0x31534C44; // "DLS1"

    private readonly SafeFileHandle _handle;
    private readonly byte[] _slot = new byte[SlotHeader + MaxPayload + sizeof(uint)];
    private readonly byte[] _current = new byte[MaxPayload];
    private int _currentLength;
    private ulong _sequence;

    private DualSlotFile(string path, SafeFileHandle handle, ulong sequence, ReadOnlySpan<byte> current)
    {
        FilePath = path;
        _handle = handle;
        _sequence = sequence;
        current.CopyTo(_current);
        _currentLength = current.Length;
    }

    public string FilePath { get; }

    /// <summary>The payload of the last completed save (empty for a new file).</summary>
    public ReadOnlySpan<byte> Load() => _current.AsSpan(0, _currentLength);

    /// <summary>
    /// Opens the file, creating it with an empty payload if missing. Creation goes through a temporary
    /// file and a rename, so a crash never leaves a file without a valid slot. A file whose two slots
    /// are both invalid is corrupt and throws <see cref="StorageCorruptedException"/>.
    /// </summary>
    public static DualSlotFile Open(string path)
    {
        if (!File.Exists(path))
        {
            CreateEmpty(path);
        }
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var (sequence, payload) = ReadNewestSlot(path, handle);
            return new DualSlotFile(path, handle, sequence, payload);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Saves <paramref name="payload"/> durably; when this returns, <see cref="Load"/> after a crash returns it.</summary>
    public void Save(ReadOnlySpan<byte> payload)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payload.Length, MaxPayload, nameof(payload));
        var sequence = _sequence + 1;
        var length = Encode(_slot, sequence, payload);
        RandomAccess.Write(_handle, _slot.AsSpan(0, length), SlotOffset(sequence));
        Durable.FlushFile(_handle);
        _sequence = sequence;
        payload.CopyTo(_current);
        _currentLength = payload.Length;
    }

    public void Dispose() => _handle.Dispose();

    private static long SlotOffset(ulong sequence) => (long)(sequence & 1) * SlotStride;

    private static int Encode(Span<byte> slot, ulong sequence, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(slot, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(slot[4..], payload.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(slot[8..], sequence);
        payload.CopyTo(slot[SlotHeader..]);
        var crcAt = SlotHeader + payload.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(slot[crcAt..], Crc32C.Compute(slot[..crcAt]));
        return crcAt + sizeof(uint);
    }

    private static void CreateEmpty(string path)
    {
        var temporary = path + ".tmp";
        var slot = new byte[SlotHeader + sizeof(uint)];
        var length = Encode(slot, 0, []);
        using (var handle = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(handle, slot.AsSpan(0, length), 0);
            Durable.FlushFile(handle);
        }
        File.Move(temporary, path, overwrite: false);
        Durable.FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    private static (ulong Sequence, byte[] Payload) ReadNewestSlot(string path, SafeFileHandle handle)
    {
        var buffer = new byte[SlotHeader + MaxPayload + sizeof(uint)];
        (ulong Sequence, byte[] Payload)? newest = null;
        for (var slot = 0; slot < 2; slot++)
        {
            var read = FileIo.ReadAtMost(handle, buffer, slot * SlotStride);
            if (TryDecode(buffer.AsSpan(0, read), out var sequence, out var payload)
                && (slot * SlotStride == SlotOffset(sequence))
                && (newest is null || sequence > newest.Value.Sequence))
            {
                newest = (sequence, payload);
            }
        }
        return newest ?? throw new StorageCorruptedException(path, "neither slot of the state file holds a valid record");
    }

    private static bool TryDecode(ReadOnlySpan<byte> slot, out ulong sequence, out byte[] payload)
    {
        sequence = 0;
        payload = [];
        if (slot.Length < SlotHeader + sizeof(uint) || BinaryPrimitives.ReadUInt32LittleEndian(slot) != Magic)
        {
            return false;
        }
        var length = BinaryPrimitives.ReadInt32LittleEndian(slot[4..]);
        if (length is < 0 or > MaxPayload || slot.Length < SlotHeader + length + sizeof(uint))
        {
            return false;
        }
        var crcAt = SlotHeader + length;
        if (BinaryPrimitives.ReadUInt32LittleEndian(slot[crcAt..]) != Crc32C.Compute(slot[..crcAt]))
        {
            return false;
        }
        sequence = BinaryPrimitives.ReadUInt64LittleEndian(slot[8..]);
        payload = slot[SlotHeader..crcAt].ToArray();
        return true;
    }
}
