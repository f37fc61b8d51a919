namespace Dst.Cluster.Transport;

/// <summary>The peer did not authenticate (wrong secret, wrong node, wrong protocol): close the connection.</summary>
internal sealed class HandshakeException(string message) : Exception(message);
