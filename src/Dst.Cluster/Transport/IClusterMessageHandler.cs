using Dst.Raft;

namespace Dst.Cluster.Transport;

/// <summary>
/// What the transport hands to the multi-raft host. The methods are called on the threads that
/// receive from peers (.NET's socket threads, or the event loops of <see cref="NodeTransportOptions.ServeInbound"/>),
/// possibly concurrently: implementations queue the work for the Raft loop rather than stepping a
/// Raft node directly. Exceptions are logged and swallowed.
/// </summary>
public interface IClusterMessageHandler
{
    /// <summary>
    /// A message for group <paramref name="groupId"/> from an authenticated peer; its
    /// <see cref="Message.From"/> has been checked against the peer's node id and its
    /// <see cref="Message.To"/> is this node. Entry and snapshot data are owned by the message.
    /// </summary>
    void OnMessage(ulong groupId, in Message message);

    /// <summary>
    /// Every message of one receive (one frame or more) has been handed to <see cref="OnMessage"/>:
    /// the host may do the work they brought now, on this thread, rather than per message.
    /// </summary>
    void OnBatchDelivered()
    {
    }

    /// <summary>
    /// Messages to <paramref name="nodeId"/> are being dropped because it cannot be reached; the host
    /// should call <c>ReportUnreachable(nodeId)</c> on every group that has it as a member.
    /// </summary>
    void OnPeerUnreachable(ulong nodeId);
}
