using System.Net;
using Microsoft.Extensions.Logging;

namespace Dst.Cluster.Transport;

/// <summary>Every line the transport logs, as source-generated (allocation-free when disabled) methods.</summary>
internal static partial class TransportLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "node {NodeId}: cluster transport listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, ulong nodeId, EndPoint? endPoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "connected to node {PeerId} at {EndPoint}")]
    public static partial void PeerConnected(ILogger logger, ulong peerId, EndPoint endPoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "lost the connection to node {PeerId} at {EndPoint}: {Reason}")]
    public static partial void PeerLost(ILogger logger, ulong peerId, EndPoint endPoint, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "cannot reach node {PeerId} at {EndPoint}: {Reason}")]
    public static partial void PeerConnectFailed(ILogger logger, ulong peerId, EndPoint endPoint, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "handshake with node {PeerId} at {EndPoint} failed: {Reason}")]
    public static partial void OutboundHandshakeFailed(ILogger logger, ulong peerId, EndPoint endPoint, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "rejected a connection from {Remote}: {Reason}")]
    public static partial void InboundHandshakeFailed(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "too many connections mid-handshake: closed the one from {Remote}")]
    public static partial void TooManyPendingHandshakes(ILogger logger, EndPoint? remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "node {PeerId} authenticated from {Remote}")]
    public static partial void InboundAuthenticated(ILogger logger, ulong peerId, EndPoint? remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "closed the connection from node {PeerId} ({Remote}): bad frame: {Reason}")]
    public static partial void BadFrame(ILogger logger, ulong peerId, EndPoint? remote, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "the connection from node {PeerId} ({Remote}) ended: {Reason}")]
    public static partial void InboundEnded(ILogger logger, ulong peerId, EndPoint? remote, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "dropped a {Type} message claiming to be from node {ClaimedFrom} on the connection authenticated as node {PeerId}")]
    public static partial void SpoofedMessage(ILogger logger, Dst.Raft.MessageType type, ulong claimedFrom, ulong peerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "dropped a {Type} message from node {PeerId} addressed to node {To}: not deliverable here")]
    public static partial void MisroutedMessage(ILogger logger, Dst.Raft.MessageType type, ulong peerId, ulong to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "dropped a {Type} message to node {PeerId}: {Bytes} bytes do not fit in a frame of at most {MaxFrameBytes}")]
    public static partial void OversizeMessage(ILogger logger, Dst.Raft.MessageType type, ulong peerId, int bytes, int maxFrameBytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "the message handler threw")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "accepting a cluster connection failed")]
    public static partial void AcceptFailed(ILogger logger, Exception exception);
}
