using System.Buffers;
using Dst.Protocol;
using Dst.Testing.Resp;

namespace Dst.Server.Tests.Compatibility;

/// <summary>
/// A connection (RESP2, or RESP3 after HELLO 3) that returns each reply as the exact frame the server
/// sent, parsed into a <see cref="Reply"/> (Dst.Client's <c>RespConnection</c> reads both <c>$-1</c> and
/// <c>*-1</c> as one null, and this test must tell them apart).
/// </summary>
internal sealed class ReplyConnection(RawConnection connection) : IAsyncDisposable
{
    public static async Task<ReplyConnection> ConnectAsync(int port) => new(await RawConnection.ConnectAsync(port));

    public async Task<Reply> RunAsync(byte[][] args)
    {
        var request = new ArrayBufferWriter<byte>();
        RequestEncoder.Write(request, args.Select(arg => (ReadOnlyMemory<byte>)arg).ToArray());
        await connection.SendAsync(request.WrittenMemory);
        var position = 0;
        return Reply.Parse(await connection.ReadFrameAsync(), ref position);
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
