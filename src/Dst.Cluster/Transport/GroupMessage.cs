using Dst.Raft;

namespace Dst.Cluster.Transport;

/// <summary>A Raft message and the group it belongs to: the unit the transport queues and carries.</summary>
public readonly record struct GroupMessage(ulong GroupId, Message Message);
