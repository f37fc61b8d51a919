using System.Buffers;
using Dst.Protocol.Tests.Support;
using static Dst.Protocol.Tests.Support.ParsedRequests;

namespace Dst.Protocol.Tests;

public class RequestFormTests
{
    [Fact]
    public void Multibulk_request_is_parsed_into_arguments()
    {
        var outcome = ParseAll("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n");

        Assert.Equal([["SET", "key", "value"]], outcome.Texts());
        Assert.Equal(ParseStatus.Incomplete, outcome.Final);
        Assert.Equal(33, outcome.Consumed);
    }

    [Fact]
    public void Bulk_arguments_are_binary_safe()
    {
        byte[] value = [0, (byte)'\r', (byte)'\n', 255, (byte)'*', (byte)'$'];
        var outcome = ParseAll(new ReadOnlySequence<byte>(Multibulk([Ascii("SET"), Ascii("k"), value])));

        Assert.Single(outcome.Requests);
        Assert.Equal(value, outcome.Requests[0][2]);
    }

    [Fact]
    public void Empty_bulk_is_an_empty_argument()
    {
        var outcome = ParseAll("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n");

        Assert.Equal([["ECHO", ""]], outcome.Texts());
    }

    [Fact]
    public void Pipelined_requests_are_parsed_one_per_call_in_order()
    {
        var outcome = ParseAll("*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\nECHO hi\r\n*1\r\n$4\r\nPING\r\n");

        Assert.Equal([["PING"], ["GET", "a"], ["ECHO", "hi"], ["PING"]], outcome.Texts());
        Assert.Equal(ParseStatus.Incomplete, outcome.Final);
    }

    [Theory]
    [InlineData("PING\r\n")]
    [InlineData("PING\n")]
    [InlineData("  PING  \r\n")]
    [InlineData("\tPING\t\n")]
    public void Inline_request_ends_at_newline_with_or_without_carriage_return(string text)
    {
        var outcome = ParseAll(text);

        Assert.Equal([["PING"]], outcome.Texts());
        Assert.Equal(text.Length, outcome.Consumed);
    }

    [Fact]
    public void Inline_request_splits_on_blanks()
    {
        var outcome = ParseAll("SET  key   value\r\n");

        Assert.Equal([["SET", "key", "value"]], outcome.Texts());
    }

    [Theory]
    [InlineData("\r\n*1\r\n$4\r\nPING\r\n")]
    [InlineData("\n\n\r\n*1\r\n$4\r\nPING\r\n")]
    [InlineData("   \r\n*1\r\n$4\r\nPING\r\n")]
    [InlineData("*0\r\n*1\r\n$4\r\nPING\r\n")]
    [InlineData("*-1\r\n*1\r\n$4\r\nPING\r\n")]
    [InlineData("*-7\r\n*1\r\n$4\r\nPING\r\n")]
    public void Empty_requests_are_skipped_like_redis(string text)
    {
        var outcome = ParseAll(text);

        Assert.Equal([["PING"]], outcome.Texts());
        Assert.Equal(text.Length, outcome.Consumed);
    }

    [Fact]
    public void Only_empty_requests_leave_the_reader_where_it_was()
    {
        var outcome = ParseAll("\r\n*0\r\n\n");

        Assert.Empty(outcome.Requests);
        Assert.Equal(ParseStatus.Incomplete, outcome.Final);
        Assert.Equal(0, outcome.Consumed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("*1")]
    [InlineData("*1\r")]
    [InlineData("*1\r\n")]
    [InlineData("*1\r\n$")]
    [InlineData("*1\r\n$4\r")]
    [InlineData("*1\r\n$4\r\nPI")]
    [InlineData("*1\r\n$4\r\nPING")]
    [InlineData("*1\r\n$4\r\nPING\r")]
    [InlineData("PING")]
    [InlineData("PING\r")]
    public void Truncated_request_is_incomplete_and_consumes_nothing(string text)
    {
        var outcome = ParseAll(text);

        Assert.Empty(outcome.Requests);
        Assert.Equal(ParseStatus.Incomplete, outcome.Final);
        Assert.Equal(0, outcome.Consumed);
    }

    [Fact]
    public void Arguments_are_cleared_before_each_request()
    {
        var parser = new RequestParser(ProtocolLimits.Default);
        using var args = new CommandArgs();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Ascii("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\nPING\r\n")));

        Assert.Equal(ParseStatus.Complete, parser.TryParse(ref reader, args, true, out _));
        Assert.Equal(ParseStatus.Complete, parser.TryParse(ref reader, args, true, out _));

        Assert.Equal(1, args.Count);
        Assert.Equal("PING", args.GetString(0));
    }

    [Fact]
    public void Buffers_grow_to_fit_many_and_large_arguments()
    {
        var many = Enumerable.Range(0, 300).Select(i => Ascii($"arg{i}")).Prepend(Ascii("MSET")).ToArray();
        var big = new byte[100_000];
        new Random(7).NextBytes(big);

        var outcome = ParseAll(new ReadOnlySequence<byte>([.. Multibulk(many), .. Multibulk([Ascii("SET"), Ascii("k"), big])]));

        Assert.Equal(2, outcome.Requests.Count);
        Assert.Equal(many, outcome.Requests[0]);
        Assert.Equal(big, outcome.Requests[1][2]);
    }
}
