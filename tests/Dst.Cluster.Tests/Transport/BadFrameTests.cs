using System.Buffers.Binary;
using Dst.Cluster.Tests.Support;
using Dst.Cluster.Transport;
using Dst.Raft;
using Microsoft.Extensions.Logging;

namespace Dst.Cluster.Tests.Transport;

/// <summary>After the handshake, a frame that is corrupt, oversize or undecodable closes the connection and delivers nothing.</summary>
public sealed class BadFrameTests
{
    private static readonly GroupMessage Heartbeat = new(1, new Message { Type = MessageType.Heartbeat, From = 3, To = 2, Term = 9 });

    private static async Task AssertClosedWithoutDeliveryAsync(string logged, Func<byte[], byte[]> damage)
    {
        await using var b = await TestNode.StartAsync(2, configure: o => o with { MaxFrameBytes = 4096 });
        using var raw = await RawPeer.ConnectAsync(b.EndPoint);
        await raw.AuthenticateAsync(selfId: 3, peerId: 2, TestNode.Secret);

        await raw.SendBytesAsync(damage(RawPeer.BatchFrame(Heartbeat)));

        await raw.WaitForCloseAsync();
        await Eventually.TrueAsync(() => b.Transport.GetStats().BadFrames == 1, "the bad frame to be counted");
        Assert.Empty(b.Handler.Messages);
        Assert.True(b.Log.Logged(LogLevel.Warning, logged), $"expected a warning containing '{logged}'");
    }

    [Fact]
    public Task A_checksum_mismatch_closes_the_connection() =>
        AssertClosedWithoutDeliveryAsync("checksum mismatch", frame =>
        {
            frame[^1] ^= 0x01;
            return frame;
        });

    [Fact]
    public Task An_oversize_length_closes_the_connection_before_anything_is_read() =>
        AssertClosedWithoutDeliveryAsync("exceeds the limit of 4096", frame =>
        {
            BinaryPrimitives.WriteUInt32LittleEndian(frame, uint.MaxValue);
            return frame;
        });

    [Fact]
    public Task An_undecodable_batch_with_a_valid_checksum_closes_the_connection() =>
        AssertClosedWithoutDeliveryAsync("version 99 is not supported", frame =>
        {
            // Claim an unknown message version, then re-seal so only the decoder can object.
            var versionAt = FrameHeader.Size + 1 + 2;
            Assert.Equal(RaftMessageCodec.Version, frame[versionAt]);
            frame[versionAt] = 99;
            FrameHeader.Write(frame);
            return frame;
        });

    [Fact]
    public Task A_handshake_frame_after_the_handshake_closes_the_connection() =>
        AssertClosedWithoutDeliveryAsync("unexpected Hello frame", frame =>
        {
            frame[FrameHeader.Size] = (byte)FrameKind.Hello;
            FrameHeader.Write(frame);
            return frame;
        });

    [Fact]
    public Task A_batch_in_the_middle_of_a_fragmented_body_closes_the_connection() =>
        AssertClosedWithoutDeliveryAsync("unexpected Batch frame", batch =>
        {
            // The first of two pieces of a 100-byte body, then the batch: out of order.
            var fragment = new byte[FrameHeader.Size + 1 + 2 + 50];
            fragment[FrameHeader.Size] = (byte)FrameKind.Fragment;
            fragment[FrameHeader.Size + 1] = 100;
            fragment[FrameHeader.Size + 2] = 0;
            FrameHeader.Write(fragment);
            return [.. fragment, .. batch];
        });
}
