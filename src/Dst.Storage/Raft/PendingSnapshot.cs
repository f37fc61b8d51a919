using Dst.Raft;

namespace Dst.Storage;

/// <summary>
/// A snapshot being taken in the background (<see cref="DurableRaftStorage.BeginSnapshot"/>): its
/// place in the log is fixed when it begins, <see cref="Write"/> streams its data into its file from
/// any thread, and <see cref="DurableRaftStorage.FinishSnapshot"/> makes it the storage's snapshot.
/// </summary>
public sealed class PendingSnapshot
{
    private readonly SnapshotStore _store;
    private readonly byte[] _encodedConfState;

    internal PendingSnapshot(SnapshotStore store, SnapshotMetadata metadata, byte[] encodedConfState)
    {
        _store = store;
        Metadata = metadata;
        _encodedConfState = encodedConfState;
    }

    public SnapshotMetadata Metadata { get; }

    /// <summary>True once <see cref="Write"/> returned: the file is durable.</summary>
    public bool IsWritten { get; private set; }

    /// <summary>
    /// Streams the data into the snapshot's file (<paramref name="writeData"/> must not close the
    /// stream) and makes it durable: temporary file, fsync, rename, directory fsync. Safe on any
    /// thread while the storage goes on; a failure leaves no file behind.
    /// </summary>
    public void Write(Action<Stream> writeData)
    {
        if (IsWritten)
        {
            throw new InvalidOperationException($"the snapshot at {Metadata.Index} is already written");
        }
        _store.Write(Metadata.Index, Metadata.Term, _encodedConfState, writeData);
        IsWritten = true;
    }
}
