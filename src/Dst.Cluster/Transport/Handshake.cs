using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Dst.Cluster.Transport;

/// <summary>
/// Mutual challenge-response authentication at the start of every node-to-node connection.
/// The dialling node (initiator) and the listening node (acceptor) each contribute a random nonce
/// and each proves knowledge of the cluster secret with <see cref="HandshakeProof"/>; the secret
/// itself never crosses the wire.
/// <code>
/// initiator -> Hello     (version, initiator id, acceptor id it meant to reach, initiator nonce)
/// acceptor  -> Challenge (version, acceptor id, acceptor nonce, acceptor proof)
/// initiator -> Proof     (initiator proof)            [only after the acceptor's proof checked out]
/// acceptor  -> Accepted                                [only after the initiator's proof checked out]
/// </code>
/// Handshake frames are tiny and read with a tiny size limit, so an unauthenticated peer cannot
/// make a node allocate more than a few bytes.
/// </summary>
internal static class Handshake
{
    public const byte ProtocolVersion = 1;

    /// <summary>Largest handshake frame payload; anything bigger is not a handshake.</summary>
    public const int MaxPayload = 128;

    private const int HelloBodySize = 1 + 8 + 8 + HandshakeProof.NonceSize;
    private const int ChallengeBodySize = 1 + 8 + HandshakeProof.NonceSize + HandshakeProof.Size;

    /// <summary>Authenticates both ways as the dialling side; throws <see cref="HandshakeException"/> on failure.</summary>
    public static async Task InitiateAsync(
        FrameConnection connection, byte[] secret, ulong selfId, ulong peerId, CancellationToken cancellationToken)
    {
        var initiatorNonce = RandomNumberGenerator.GetBytes(HandshakeProof.NonceSize);
        await SendAsync(connection, Hello(selfId, peerId, initiatorNonce), cancellationToken);

        var challenge = await ReceiveAsync(connection, FrameKind.Challenge, ChallengeBodySize, cancellationToken);
        CheckVersion(challenge.Span[0]);
        var acceptorId = BinaryPrimitives.ReadUInt64LittleEndian(challenge.Span[1..]);
        if (acceptorId != peerId)
        {
            throw new HandshakeException($"the node at this address is node {acceptorId}, not node {peerId}");
        }
        var acceptorNonce = challenge[9..(9 + HandshakeProof.NonceSize)];
        var acceptorProof = challenge[(9 + HandshakeProof.NonceSize)..];
        if (!HandshakeProof.Verify(secret, HandshakeRole.Acceptor, selfId, peerId, initiatorNonce, acceptorNonce.Span, acceptorProof.Span))
        {
            throw new HandshakeException($"node {peerId} could not prove it holds the cluster secret");
        }

        Span<byte> proof = stackalloc byte[HandshakeProof.Size];
        HandshakeProof.Compute(secret, HandshakeRole.Initiator, selfId, peerId, initiatorNonce, acceptorNonce.Span, proof);
        await SendAsync(connection, Proof(proof), cancellationToken);

        await ReceiveAsync(connection, FrameKind.Accepted, 0, cancellationToken);
    }

    /// <summary>
    /// Authenticates both ways as the listening side and returns the initiator's node id, which
    /// the connection is bound to from then on. Throws <see cref="HandshakeException"/> on failure.
    /// </summary>
    public static async Task<ulong> AcceptAsync(
        FrameConnection connection, byte[] secret, ulong selfId, CancellationToken cancellationToken)
    {
        var hello = await ReceiveAsync(connection, FrameKind.Hello, HelloBodySize, cancellationToken);
        CheckVersion(hello.Span[0]);
        var initiatorId = BinaryPrimitives.ReadUInt64LittleEndian(hello.Span[1..]);
        var addressedTo = BinaryPrimitives.ReadUInt64LittleEndian(hello.Span[9..]);
        var initiatorNonce = hello[17..];
        if (addressedTo != selfId)
        {
            throw new HandshakeException($"node {initiatorId} dialled node {addressedTo}, but this is node {selfId}");
        }
        if (initiatorId == 0 || initiatorId == selfId)
        {
            throw new HandshakeException($"initiator claims the invalid node id {initiatorId}");
        }

        var acceptorNonce = RandomNumberGenerator.GetBytes(HandshakeProof.NonceSize);
        var challenge = Challenge(secret, selfId, initiatorId, initiatorNonce.Span, acceptorNonce);
        await SendAsync(connection, challenge, cancellationToken);

        var proof = await ReceiveAsync(connection, FrameKind.Proof, HandshakeProof.Size, cancellationToken);
        if (!HandshakeProof.Verify(secret, HandshakeRole.Initiator, initiatorId, selfId, initiatorNonce.Span, acceptorNonce, proof.Span))
        {
            throw new HandshakeException($"node {initiatorId} could not prove it holds the cluster secret");
        }

        await SendAsync(connection, NewFrame(FrameKind.Accepted, 0), cancellationToken);
        return initiatorId;
    }

    internal static byte[] Hello(ulong selfId, ulong peerId, ReadOnlySpan<byte> initiatorNonce)
    {
        var frame = NewFrame(FrameKind.Hello, HelloBodySize);
        var body = BodyOf(frame);
        body[0] = ProtocolVersion;
        BinaryPrimitives.WriteUInt64LittleEndian(body[1..], selfId);
        BinaryPrimitives.WriteUInt64LittleEndian(body[9..], peerId);
        initiatorNonce.CopyTo(body[17..]);
        return frame;
    }

    internal static byte[] Proof(ReadOnlySpan<byte> proof)
    {
        var frame = NewFrame(FrameKind.Proof, HandshakeProof.Size);
        proof.CopyTo(BodyOf(frame));
        return frame;
    }

    private static byte[] Challenge(
        byte[] secret, ulong selfId, ulong initiatorId, ReadOnlySpan<byte> initiatorNonce, ReadOnlySpan<byte> acceptorNonce)
    {
        var frame = NewFrame(FrameKind.Challenge, ChallengeBodySize);
        var body = BodyOf(frame);
        body[0] = ProtocolVersion;
        BinaryPrimitives.WriteUInt64LittleEndian(body[1..], selfId);
        acceptorNonce.CopyTo(body[9..]);
        HandshakeProof.Compute(
            secret, HandshakeRole.Acceptor, initiatorId, selfId, initiatorNonce, acceptorNonce,
            body[(9 + HandshakeProof.NonceSize)..]);
        return frame;
    }

    /// <summary>A whole frame with room for a body of <paramref name="bodySize"/> bytes; the header is filled in on send.</summary>
    private static byte[] NewFrame(FrameKind kind, int bodySize)
    {
        var frame = new byte[FrameHeader.Size + 1 + bodySize];
        frame[FrameHeader.Size] = (byte)kind;
        return frame;
    }

    private static Span<byte> BodyOf(byte[] frame) => frame.AsSpan(FrameHeader.Size + 1);

    internal static async Task SendAsync(FrameConnection connection, byte[] frame, CancellationToken cancellationToken)
    {
        FrameHeader.Write(frame);
        await connection.WriteAsync(frame, cancellationToken);
    }

    internal static async Task<ReadOnlyMemory<byte>> ReceiveAsync(
        FrameConnection connection, FrameKind expected, int bodySize, CancellationToken cancellationToken)
    {
        Frame? frame;
        try
        {
            frame = await connection.ReadFrameAsync(MaxPayload, cancellationToken);
        }
        catch (FrameFormatException e)
        {
            throw new HandshakeException($"not a handshake frame: {e.Message}");
        }
        catch (EndOfStreamException)
        {
            throw new HandshakeException($"connection closed while waiting for {expected}");
        }
        if (frame is not { } received)
        {
            throw new HandshakeException($"connection closed while waiting for {expected}");
        }
        if (received.Kind != expected || received.Body.Length != bodySize)
        {
            throw new HandshakeException($"expected {expected} ({bodySize} bytes), received {received.Kind} ({received.Body.Length} bytes)");
        }
        return received.Body;
    }

    private static void CheckVersion(byte version)
    {
        if (version != ProtocolVersion)
        {
            throw new HandshakeException($"handshake version {version} is not supported (expected {ProtocolVersion})");
        }
    }
}
