namespace Dst.Cluster.Transport;

/// <summary>The first payload byte of every frame: what the rest of the payload is.</summary>
internal enum FrameKind : byte
{
    /// <summary>Initiator to acceptor: protocol version, both node ids, the initiator's nonce.</summary>
    Hello = 1,
    /// <summary>Acceptor to initiator: its node id, its nonce, its proof.</summary>
    Challenge = 2,
    /// <summary>Initiator to acceptor: the initiator's proof.</summary>
    Proof = 3,
    /// <summary>Acceptor to initiator: the proof checked out; batches may follow.</summary>
    Accepted = 4,
    /// <summary>Initiator to acceptor: Raft messages, each with its group id.</summary>
    Batch = 16,
    /// <summary>
    /// Initiator to acceptor: a piece of a Batch body too large for one frame (a big snapshot):
    /// <c>kind | total length varint | offset varint | bytes</c>. Pieces follow each other in order.
    /// </summary>
    Fragment = 17,
}
