using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Dst.Cluster.Transport;

/// <summary>
/// The proof each side of a handshake sends: HMAC-SHA256 keyed with the cluster secret over a
/// transcript of a fixed label, the prover's role, both node ids and both nonces. The role keeps
/// one side's proof from being replayed as the other's; the fresh nonces keep any proof from being
/// replayed on another connection; the ids bind the connection to the node ids it authenticates.
/// </summary>
internal static class HandshakeProof
{
    public const int Size = 32;
    public const int NonceSize = 32;

    private static readonly byte[] Label = Encoding.ASCII.GetBytes("dst-cluster-auth-v1");
    private static readonly int TranscriptSize = Label.Length + 1 + 8 + 8 + NonceSize + NonceSize;

    public static void Compute(
        ReadOnlySpan<byte> secret,
        HandshakeRole prover,
        ulong initiatorId,
        ulong acceptorId,
        ReadOnlySpan<byte> initiatorNonce,
        ReadOnlySpan<byte> acceptorNonce,
        Span<byte> proof)
    {
        Span<byte> transcript = stackalloc byte[TranscriptSize];
        Label.CopyTo(transcript);
        var at = Label.Length;
        transcript[at++] = (byte)prover;
        BinaryPrimitives.WriteUInt64LittleEndian(transcript[at..], initiatorId);
        at += 8;
        BinaryPrimitives.WriteUInt64LittleEndian(transcript[at..], acceptorId);
        at += 8;
        initiatorNonce.CopyTo(transcript[at..]);
        at += NonceSize;
        acceptorNonce.CopyTo(transcript[at..]);
        HMACSHA256.HashData(secret, transcript, proof);
    }

    /// <summary>Checks a received proof in constant time.</summary>
    public static bool Verify(
        ReadOnlySpan<byte> secret,
        HandshakeRole prover,
        ulong initiatorId,
        ulong acceptorId,
        ReadOnlySpan<byte> initiatorNonce,
        ReadOnlySpan<byte> acceptorNonce,
        ReadOnlySpan<byte> received)
    {
        Span<byte> expected = stackalloc byte[Size];
        Compute(secret, prover, initiatorId, acceptorId, initiatorNonce, acceptorNonce, expected);
        return received.Length == Size && CryptographicOperations.FixedTimeEquals(expected, received);
    }
}

internal enum HandshakeRole : byte
{
    Initiator = 1,
    Acceptor = 2,
}
