using static Dst.Protocol.Tests.Support.ParsedRequests;

namespace Dst.Protocol.Tests;

/// <summary>Malformed frames produce Redis's exact protocol error text.</summary>
public class MalformedRequestTests
{
    [Theory]
    [InlineData("*x\r\n")]
    [InlineData("*\r\n")]
    [InlineData("*+1\r\n")]
    [InlineData("*01\r\n")]
    [InlineData("*00\r\n")]
    [InlineData("*-0\r\n")]
    [InlineData("* 1\r\n")]
    [InlineData("*1 \r\n")]
    [InlineData("*1\rX")]
    [InlineData("*99999999999999999999\r\n")]
    [InlineData("*1048577\r\n")]
    [InlineData("*123456789012345678901234567890")]
    public void Bad_multibulk_count_is_invalid_multibulk_length(string text)
    {
        AssertError(text, "ERR Protocol error: invalid multibulk length");
    }

    [Theory]
    [InlineData("*1\r\n$x\r\n")]
    [InlineData("*1\r\n$-1\r\n")]
    [InlineData("*1\r\n$\r\n")]
    [InlineData("*1\r\n$04\r\nPING\r\n")]
    [InlineData("*1\r\n$00\r\n\r\n")]
    [InlineData("*1\r\n$536870913\r\n")]
    [InlineData("*1\r\n$999999999\r\n")]
    [InlineData("*1\r\n$1000000000\r\n")]
    [InlineData("*1\r\n$4\nPING\r\n")]
    [InlineData("*1\r\n$4\rXPING\r\n")]
    [InlineData("*1\r\n$12345678901234567890123")]
    public void Bad_bulk_length_is_invalid_bulk_length(string text)
    {
        AssertError(text, "ERR Protocol error: invalid bulk length");
    }

    [Theory]
    [InlineData("*1\r\nPING\r\n", 'P')]
    [InlineData("*2\r\n$3\r\nGET\r\n:1\r\n", ':')]
    [InlineData("*1\r\n*1\r\n", '*')]
    public void Non_bulk_argument_is_expected_dollar(string text, char got)
    {
        AssertError(text, $"ERR Protocol error: expected '$', got '{got}'");
    }

    [Fact]
    public void Bulk_data_must_end_with_crlf()
    {
        AssertError("*1\r\n$4\r\nPINGXY*1\r\n$4\r\nPING\r\n", ProtocolErrors.MissingBulkTerminator);
    }

    [Fact]
    public void Inline_line_over_64_kib_is_too_big()
    {
        var line = new string('a', 64 * 1024 + 1);

        AssertError(line + "\r\n", "ERR Protocol error: too big inline request");
        AssertError(line, "ERR Protocol error: too big inline request");
    }

    [Fact]
    public void Inline_line_of_exactly_64_kib_is_accepted()
    {
        var line = new string('a', 64 * 1024);

        Assert.Equal(ParseStatus.Incomplete, ParseAll(line).Final);
        Assert.Equal(ParseStatus.Incomplete, ParseAll(line + "\r").Final);
        Assert.Equal([[line]], ParseAll(line + "\r\n").Texts());
        Assert.Equal([[line]], ParseAll(line + "\n").Texts());
    }

    [Theory]
    [InlineData("*11\r\n", "ERR Protocol error: unauthenticated multibulk length")]
    [InlineData("*1\r\n$16385\r\n", "ERR Protocol error: unauthenticated bulk length")]
    public void Unauthenticated_connections_get_small_limits(string text, string expected)
    {
        var outcome = ParseAll(text, authenticated: false);

        Assert.Equal(ParseStatus.Error, outcome.Final);
        Assert.Equal(expected, outcome.Error);
        Assert.Equal(ParseStatus.Incomplete, ParseAll(text, authenticated: true).Final);
    }

    [Fact]
    public void Unauthenticated_limits_are_inclusive()
    {
        var args = Enumerable.Range(0, 10).Select(_ => new string('v', 16 * 1024)).ToArray();

        var outcome = ParseAll(new System.Buffers.ReadOnlySequence<byte>(Multibulk(args)), authenticated: false);

        Assert.Single(outcome.Requests);
    }

    [Fact]
    public void Pending_request_over_the_query_buffer_limit_is_an_error()
    {
        var limits = new ProtocolLimits { MaxQueryBufferLength = 100, UnauthenticatedMaxQueryBufferLength = 50 };
        var text = "*2\r\n$3\r\nSET\r\n$200\r\n" + new string('x', 120);

        Assert.Equal(ParseStatus.Incomplete, ParseAll(text[..60], limits: limits).Final);
        var outcome = ParseAll(text, limits: limits);
        Assert.Equal(ParseStatus.Error, outcome.Final);
        Assert.Equal(ProtocolErrors.QueryBufferLimitExceeded, outcome.Error);
        Assert.Equal(ParseStatus.Error, ParseAll(text[..60], authenticated: false, limits: limits).Final);
    }

    [Fact]
    public void Custom_bulk_limit_is_respected()
    {
        var limits = new ProtocolLimits { MaxBulkLength = 4 };

        Assert.Single(ParseAll("*1\r\n$4\r\nPING\r\n", limits: limits).Requests);
        Assert.Equal("ERR Protocol error: invalid bulk length", ParseAll("*1\r\n$5\r\nPINGS\r\n", limits: limits).Error);
    }

    private static void AssertError(string text, string expected)
    {
        var outcome = ParseAll(text);

        Assert.Equal(ParseStatus.Error, outcome.Final);
        Assert.Equal(expected, outcome.Error);
    }
}
