using Dst.Cluster.Transport;

namespace Dst.Cluster.Tests.Transport;

public sealed class HandshakeProofTests
{
    private static readonly byte[] Secret = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly byte[] NonceA = [.. Enumerable.Repeat((byte)0xA1, HandshakeProof.NonceSize)];
    private static readonly byte[] NonceB = [.. Enumerable.Repeat((byte)0xB2, HandshakeProof.NonceSize)];

    private static byte[] Proof(byte[] secret, HandshakeRole role, ulong initiator, ulong acceptor, byte[] nonceI, byte[] nonceA)
    {
        var proof = new byte[HandshakeProof.Size];
        HandshakeProof.Compute(secret, role, initiator, acceptor, nonceI, nonceA, proof);
        return proof;
    }

    [Fact]
    public void A_proof_verifies_only_for_the_same_secret_role_ids_and_nonces()
    {
        var proof = Proof(Secret, HandshakeRole.Initiator, 1, 2, NonceA, NonceB);

        Assert.True(HandshakeProof.Verify(Secret, HandshakeRole.Initiator, 1, 2, NonceA, NonceB, proof));
        Assert.False(HandshakeProof.Verify([.. Secret[..^1], 0], HandshakeRole.Initiator, 1, 2, NonceA, NonceB, proof));
        Assert.False(HandshakeProof.Verify(Secret, HandshakeRole.Acceptor, 1, 2, NonceA, NonceB, proof));
        Assert.False(HandshakeProof.Verify(Secret, HandshakeRole.Initiator, 3, 2, NonceA, NonceB, proof));
        Assert.False(HandshakeProof.Verify(Secret, HandshakeRole.Initiator, 1, 3, NonceA, NonceB, proof));
        Assert.False(HandshakeProof.Verify(Secret, HandshakeRole.Initiator, 1, 2, NonceB, NonceA, proof));
        Assert.False(HandshakeProof.Verify(Secret, HandshakeRole.Initiator, 1, 2, NonceA, NonceB, proof[..^1]));
    }

    [Fact]
    public void The_proof_does_not_contain_the_secret()
    {
        var proof = Proof(Secret, HandshakeRole.Acceptor, 1, 2, NonceA, NonceB);
        Assert.False(proof.AsSpan().IndexOf(Secret.AsSpan(0, 8)) >= 0);
    }
}
