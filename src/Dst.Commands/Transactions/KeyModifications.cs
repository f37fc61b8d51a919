using System.Buffers.Binary;
using Dst.Commands.Snapshots;
using Dst.Commands.Storage;

namespace Dst.Commands.Transactions;

/// <summary>
/// For WATCH and blocked clients: the log index of the last write to each key, kept in a fixed
/// table of 65,536 buckets by key hash (512 KB, bounded whatever the key count). Two keys sharing a
/// bucket share an index, so a watched key can look modified when only its neighbour was: a
/// conservative abort, never a missed one. It is part of the replicated state (snapshots carry it),
/// so every replica decides every EXEC the same way.
/// </summary>
public sealed class KeyModifications
{
    private const int BucketBits = 16;
    private const int BucketCount = 1 << BucketBits;

    private readonly ulong[] _buckets = new ulong[BucketCount];

    /// <summary>Every key counts as written at this index (FLUSHALL, a loaded snapshot without the table).</summary>
    private ulong _everythingAt;

    /// <summary>The index of the last write to <paramref name="key"/> (or to a key sharing its bucket); 0 if none is known.</summary>
    public ulong LastWritten(ReadOnlySpan<byte> key) =>
        Math.Max(Volatile.Read(ref _buckets[Bucket(key)]), Volatile.Read(ref _everythingAt));

    public bool WrittenSince(ReadOnlySpan<byte> key, ulong index) => LastWritten(key) > index;

    /// <summary>Told of every write as it is marked (the server's blocked clients); null when nobody listens.</summary>
    public IKeyWriteObserver? Observer { get; set; }

    public void MarkWritten(ReadOnlySpan<byte> key, ulong index)
    {
        Volatile.Write(ref _buckets[Bucket(key)], index);
        Observer?.KeyWritten(key, index);
    }

    public void MarkEverythingWritten(ulong index)
    {
        Volatile.Write(ref _everythingAt, index);
        Observer?.EverythingWritten(index);
    }

    /// <summary>Forgets everything, counting every key as written at <paramref name="index"/> (a snapshot loaded without the table).</summary>
    public void Reset(ulong index)
    {
        Array.Clear(_buckets);
        MarkEverythingWritten(index);
    }

    private static int Bucket(ReadOnlySpan<byte> key) => (int)(KeyHash.Compute(key) & (BucketCount - 1));

    // Snapshot section, written before the keyspace image:
    // "DSTWMOD" 0x01 | everything-at u64 | bucket count u32 | used u32 | (bucket u32, index u64)* | CRC32C u32.
    private static ReadOnlySpan<byte> Magic => "DSTWMOD\u0001"u8;

    private const int EntryBytes = sizeof(uint) + sizeof(ulong);

    /// <summary>True when <paramref name="firstBytes"/> (the first 8 bytes of a snapshot) open this section.</summary>
    public static bool StartsSection(ReadOnlySpan<byte> firstBytes) => firstBytes.SequenceEqual(Magic);

    public static int MagicLength => Magic.Length;

    /// <summary>A detached copy (one 512 KB array copy) for a snapshot capture to write later from any thread.</summary>
    public KeyModifications Copy()
    {
        var copy = new KeyModifications { _everythingAt = Volatile.Read(ref _everythingAt) };
        _buckets.CopyTo(copy._buckets, 0);
        return copy;
    }

    /// <summary>Writes the used buckets only, so a quiet store's snapshot grows by a few bytes.</summary>
    public void WriteSection(Stream destination)
    {
        var used = 0;
        foreach (var index in _buckets)
        {
            used += index != 0 ? 1 : 0;
        }
        var section = new byte[Magic.Length + sizeof(ulong) + (2 * sizeof(uint)) + (used * EntryBytes) + sizeof(uint)];
        var span = section.AsSpan();
        Magic.CopyTo(span);
        var at = Magic.Length;
        BinaryPrimitives.WriteUInt64LittleEndian(span[at..], _everythingAt);
        at += sizeof(ulong);
        BinaryPrimitives.WriteUInt32LittleEndian(span[at..], BucketCount);
        at += sizeof(uint);
        BinaryPrimitives.WriteUInt32LittleEndian(span[at..], (uint)used);
        at += sizeof(uint);
        for (var bucket = 0; bucket < BucketCount; bucket++)
        {
            if (_buckets[bucket] != 0)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(span[at..], (uint)bucket);
                BinaryPrimitives.WriteUInt64LittleEndian(span[(at + sizeof(uint))..], _buckets[bucket]);
                at += EntryBytes;
            }
        }
        BinaryPrimitives.WriteUInt32LittleEndian(span[at..], Crc32C.Append(0, span[..at]));
        destination.Write(section);
    }

    /// <summary>Reads a section whose magic has already been consumed into a new table; throws <see cref="InvalidDataException"/> when damaged.</summary>
    public static KeyModifications ReadSection(Stream source)
    {
        var head = new byte[Magic.Length + sizeof(ulong) + (2 * sizeof(uint))];
        Magic.CopyTo(head);
        source.ReadExactly(head.AsSpan(Magic.Length));
        var everythingAt = BinaryPrimitives.ReadUInt64LittleEndian(head.AsSpan(Magic.Length));
        var bucketCount = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(Magic.Length + sizeof(ulong)));
        var used = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(Magic.Length + sizeof(ulong) + sizeof(uint)));
        if (bucketCount != BucketCount || used > BucketCount)
        {
            throw new InvalidDataException($"snapshot key-modification table has {bucketCount} buckets and {used} used; expected {BucketCount}");
        }
        var body = new byte[(used * EntryBytes) + sizeof(uint)];
        source.ReadExactly(body);
        var crc = Crc32C.Append(Crc32C.Append(0, head), body.AsSpan(0, body.Length - sizeof(uint)));
        if (crc != BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan(body.Length - sizeof(uint))))
        {
            throw new InvalidDataException("snapshot key-modification table checksum mismatch");
        }
        var table = new KeyModifications { _everythingAt = everythingAt };
        for (var i = 0; i < used; i++)
        {
            var entry = body.AsSpan(i * EntryBytes);
            var bucket = BinaryPrimitives.ReadUInt32LittleEndian(entry);
            if (bucket >= BucketCount)
            {
                throw new InvalidDataException($"snapshot key-modification bucket {bucket} is out of range");
            }
            table._buckets[bucket] = BinaryPrimitives.ReadUInt64LittleEndian(entry[sizeof(uint)..]);
        }
        return table;
    }

    /// <summary>Takes over a loaded table's contents.</summary>
    public void ReplaceWith(KeyModifications loaded)
    {
        loaded._buckets.CopyTo(_buckets, 0);
        Volatile.Write(ref _everythingAt, loaded._everythingAt);
        // Blocked clients retry: whatever they wait for may have arrived with the snapshot.
        Observer?.EverythingWritten(loaded._everythingAt);
    }
}
