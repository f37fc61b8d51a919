using System.Buffers;
using System.Text;
using Dst.Protocol;

namespace Dst.Protocol.Tests;

/// <summary>Every reply shape in both dialects, byte for byte as Redis writes it.</summary>
public class RespWriterTests
{
    private static string Write(RespVersion version, Action<RespWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new RespWriter(buffer, version));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Theory]
    [InlineData(RespVersion.Resp2, "$-1\r\n", "*-1\r\n")]
    [InlineData(RespVersion.Resp3, "_\r\n", "_\r\n")]
    public void Nulls_follow_the_dialect(RespVersion version, string nullBulk, string nullArray)
    {
        Assert.Equal(nullBulk, Write(version, w => w.WriteNull()));
        Assert.Equal(nullArray, Write(version, w => w.WriteNullArray()));
    }

    [Fact]
    public void Maps_sets_pushes_and_booleans_degrade_for_resp2()
    {
        Assert.Equal("*4\r\n", Write(RespVersion.Resp2, w => w.WriteMapHeader(2)));
        Assert.Equal("%2\r\n", Write(RespVersion.Resp3, w => w.WriteMapHeader(2)));
        Assert.Equal("*3\r\n", Write(RespVersion.Resp2, w => w.WriteSetHeader(3)));
        Assert.Equal("~3\r\n", Write(RespVersion.Resp3, w => w.WriteSetHeader(3)));
        Assert.Equal("*3\r\n", Write(RespVersion.Resp2, w => w.WritePushHeader(3)));
        Assert.Equal(">3\r\n", Write(RespVersion.Resp3, w => w.WritePushHeader(3)));
        Assert.Equal(":1\r\n", Write(RespVersion.Resp2, w => w.WriteBoolean(true)));
        Assert.Equal("#f\r\n", Write(RespVersion.Resp3, w => w.WriteBoolean(false)));
    }

    [Fact]
    public void A_decoded_reply_is_written_back_in_the_writers_dialect()
    {
        var reply = RespValue.Map(
            RespValue.BulkString("ok"), RespValue.SimpleString("OK"),
            RespValue.BulkString("list"), RespValue.Array(RespValue.FromInteger(3), RespValue.Null, RespValue.FromBoolean(true)),
            RespValue.BulkString("err"), RespValue.SimpleError("ERR no"));
        Assert.Equal("*6\r\n$2\r\nok\r\n+OK\r\n$4\r\nlist\r\n*3\r\n:3\r\n$-1\r\n:1\r\n$3\r\nerr\r\n-ERR no\r\n", Write(RespVersion.Resp2, w => w.WriteValue(reply)));
        Assert.Equal("%3\r\n$2\r\nok\r\n+OK\r\n$4\r\nlist\r\n*3\r\n:3\r\n_\r\n#t\r\n$3\r\nerr\r\n-ERR no\r\n", Write(RespVersion.Resp3, w => w.WriteValue(reply)));
    }

    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(3.0, "3")]
    [InlineData(-0.25, "-0.25")]
    [InlineData(1e20, "1e+20")]
    [InlineData(1.5e-7, "1.5e-07")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(double.NaN, "nan")]
    public void Doubles_are_formatted_as_redis_formats_scores(double value, string text)
    {
        Assert.Equal($",{text}\r\n", Write(RespVersion.Resp3, w => w.WriteDouble(value)));
        Assert.Equal($"${text.Length}\r\n{text}\r\n", Write(RespVersion.Resp2, w => w.WriteDouble(value)));
    }

    /// <summary>
    /// Short decimals take an integer-arithmetic path; it must write exactly what the general
    /// shortest-round-trip formatting writes, for the values it takes and at its edges.
    /// </summary>
    [Fact]
    public void The_fast_score_path_writes_what_the_general_formatting_writes()
    {
        var random = new Random(20261122);
        var values = new List<double> { 0, -0.0, 1e9, 999_999_999, 999_999_999.9999, 1e9 - 0.0001, 0.0001, 0.00001, 0.00015, 1e-4 + 1e-12, 0.1, 0.2, 0.3, 0.1 + 0.2, 1.0 / 3, 2.675, 1e15, 123_456_789.1234 };
        for (var i = 0; i < 200_000; i++)
        {
            var digits = random.Next(0, 6);
            var scale = Math.Pow(10, digits);
            values.Add(random.NextInt64(-2_000_000_000_000, 2_000_000_000_000) / scale);
            values.Add(random.Next(-1000, 1000) / scale);
            values.Add((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 12)));
            values.Add(BitConverter.Int64BitsToDouble(random.NextInt64()));
        }
        Span<byte> text = stackalloc byte[64];
        foreach (var value in values)
        {
            var general = double.IsFinite(value)
                ? value.ToString("R", System.Globalization.CultureInfo.InvariantCulture).Replace('E', 'e')
                : double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
            var length = RespWriter.FormatDouble(value, text);
            Assert.True(general == System.Text.Encoding.ASCII.GetString(text[..length]), $"{value:R}: expected {general}, wrote {System.Text.Encoding.ASCII.GetString(text[..length])}");
        }
    }

    [Fact]
    public void Scalars_and_bulk_strings()
    {
        Assert.Equal("+OK\r\n", Write(RespVersion.Resp2, w => w.WriteOk()));
        Assert.Equal(":-42\r\n", Write(RespVersion.Resp2, w => w.WriteInteger(-42)));
        foreach (var value in new[] { 0L, 9, 10, -1, -9, long.MaxValue, long.MinValue })
        {
            Assert.Equal($":{value}\r\n", Write(RespVersion.Resp2, w => w.WriteInteger(value)));
        }
        Assert.Equal("$3\r\nabc\r\n", Write(RespVersion.Resp2, w => w.WriteBulkString("abc"u8)));
        Assert.Equal("$0\r\n\r\n", Write(RespVersion.Resp2, w => w.WriteBulkString(""u8)));
        Assert.Equal("$2\r\n17\r\n", Write(RespVersion.Resp2, w => w.WriteBulkString(17L)));
        Assert.Equal("$3\r\nhi!\r\n", Write(RespVersion.Resp2, w => w.WriteVerbatim("hi!")));
        Assert.Equal("=7\r\ntxt:hi!\r\n", Write(RespVersion.Resp3, w => w.WriteVerbatim("hi!")));
    }

    [Fact]
    public void Line_breaks_inside_status_and_error_lines_become_spaces()
    {
        Assert.Equal("-ERR bad\r\n", Write(RespVersion.Resp2, w => w.WriteError("ERR bad")));
        Assert.Equal("-ERR a b c\r\n", Write(RespVersion.Resp2, w => w.WriteError("ERR a\rb\nc")));
        Assert.Equal("+x y\r\n", Write(RespVersion.Resp2, w => w.WriteSimpleString("x\ny")));
    }

    [Fact]
    public void Long_error_messages_are_written_whole()
    {
        var message = "ERR " + new string('x', 1000);
        Assert.Equal($"-{message}\r\n", Write(RespVersion.Resp2, w => w.WriteError(message)));
    }
}
