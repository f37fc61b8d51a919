using Dst.Commands.Snapshots;

namespace Dst.Commands.Storage;

/// <summary>
/// A value that is not a plain string (hash, list, set, sorted set): one object per key that also
/// holds its key and expiry. Strings never use this; they live packed in one byte array.
/// </summary>
public abstract class StoredObject(byte[] key)
{
    public byte[] Key { get; internal set; } = key;

    /// <summary>Absolute Unix milliseconds, or -1 for no expiry.</summary>
    public long ExpireAt { get; set; } = -1;

    /// <summary>
    /// The capture epoch current when this object's data was built (see <see cref="CaptureEpoch"/>):
    /// an object older than a snapshot capture still being written may be referenced by it, so the
    /// keyspace copies it before changing it.
    /// </summary>
    internal long Generation { get; } = CaptureEpoch.Current;

    public abstract ValueKind Kind { get; }

    /// <summary>Writes the value part of this object's snapshot record (the key and expiry are already written).</summary>
    public abstract void WriteSnapshotValue(SnapshotWriter writer);

    /// <summary>A deep copy under another key (COPY, and copy-on-write while a snapshot is written).</summary>
    public abstract StoredObject CloneWithKey(byte[] key);

    /// <summary>The encoding as OBJECT ENCODING names it: listpack, intset, hashtable, skiplist, quicklist.</summary>
    public abstract string EncodingName { get; }

    /// <summary>Bytes this value holds on the heap, key and object headers included (MEMORY USAGE).</summary>
    public abstract long EstimateMemoryUsage();

    /// <summary>
    /// A copy sharing this object's data (and its <see cref="Generation"/>), to give a new key or
    /// expiry without touching an object a snapshot capture still reads.
    /// </summary>
    internal StoredObject CopyHeader() => (StoredObject)MemberwiseClone();
}
