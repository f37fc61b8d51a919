using System.Buffers;
using Dst.Protocol;
using Dst.Server.Transactions;

namespace Dst.Server.Tests.Transactions;

/// <summary>EXEC splits the state machine's reply array with <see cref="ReplyFrames"/>: every shape our writer makes, nested, in both protocols.</summary>
public sealed class ReplyFramesTests
{
    [Theory]
    [InlineData(RespVersion.Resp2)]
    [InlineData(RespVersion.Resp3)]
    public void Each_value_the_writer_makes_is_measured_exactly(RespVersion version)
    {
        var shapes = new List<Action<RespWriter>>
        {
            w => w.WriteOk(),
            w => w.WriteError("ERR no"),
            w => w.WriteInteger(-42),
            w => w.WriteBulkString("with\r\ninside"u8),
            w => w.WriteBulkString(""u8),
            w => w.WriteNull(),
            w => w.WriteNullArray(),
            w => w.WriteDouble(1.5),
            w => w.WriteBoolean(true),
            w => w.WriteVerbatim("line one\nline two\n"),
            w =>
            {
                w.WriteMapHeader(2);
                w.WriteBulkString("f");
                w.WriteArrayHeader(2);
                w.WriteBulkString("*3\r\n"u8);
                w.WriteSetHeader(1);
                w.WriteInteger(7);
                w.WriteBulkString("g");
                w.WriteArrayHeader(0);
            },
            w => w.WritePushHeader(0),
        };
        foreach (var shape in shapes)
        {
            var buffer = new ArrayBufferWriter<byte>();
            var writer = new RespWriter(buffer) { Version = version };
            shape(writer);
            var length = buffer.WrittenCount;
            writer.WriteRaw("+TRAILING\r\n"u8);
            Assert.Equal(length, ReplyFrames.Measure(buffer.WrittenSpan));
        }
    }

    [Fact]
    public void A_truncated_or_unknown_frame_throws()
    {
        Assert.Throws<FormatException>(() => ReplyFrames.Measure("+OK"u8));
        Assert.Throws<FormatException>(() => ReplyFrames.Measure("?x\r\n"u8));
    }
}
