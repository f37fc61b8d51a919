using System.Buffers;
using static Dst.Protocol.Tests.Support.ParsedRequests;

namespace Dst.Protocol.Tests;

/// <summary>Announced sizes are checked before anything is allocated, and steady parsing allocates nothing.</summary>
public class AllocationLimitTests
{
    private const long SmallBound = 16 * 1024;

    [Theory]
    [InlineData("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$536870912\r\n0123456789")]
    [InlineData("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$536870913\r\n0123456789")]
    [InlineData("*1048576\r\n$3\r\nSET\r\n")]
    [InlineData("*2147483648\r\n$3\r\nSET\r\n")]
    public void Huge_announced_sizes_allocate_nothing_big(string text)
    {
        var buffer = new ReadOnlySequence<byte>(Ascii(text));
        var parser = new RequestParser(ProtocolLimits.Default);
        using var args = new CommandArgs();
        Parse(parser, buffer, args);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var status = Parse(parser, buffer, args);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.NotEqual(ParseStatus.Complete, status);
        Assert.True(allocated < SmallBound, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Parsing_a_pipeline_allocates_nothing_once_buffers_have_grown()
    {
        var pipeline = new MemoryStream();
        for (var i = 0; i < 16; i++)
        {
            pipeline.Write(Multibulk("SET", $"key:{i:000000}", "0123456789abcdef"));
            pipeline.Write(Multibulk("GET", $"key:{i:000000}"));
        }
        var buffer = new ReadOnlySequence<byte>(pipeline.ToArray());
        var parser = new RequestParser(ProtocolLimits.Default);
        using var args = new CommandArgs();
        ParsePipeline(parser, buffer, args);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var parsed = ParsePipeline(parser, buffer, args);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(32, parsed);
        Assert.Equal(0, allocated);
    }

    private static ParseStatus Parse(RequestParser parser, ReadOnlySequence<byte> buffer, CommandArgs args)
    {
        var reader = new SequenceReader<byte>(buffer);
        return parser.TryParse(ref reader, args, authenticated: true, out _);
    }

    private static int ParsePipeline(RequestParser parser, ReadOnlySequence<byte> buffer, CommandArgs args)
    {
        var reader = new SequenceReader<byte>(buffer);
        var parsed = 0;
        while (parser.TryParse(ref reader, args, authenticated: true, out _) == ParseStatus.Complete)
        {
            parsed++;
        }
        return parsed;
    }
}
