using static Dst.Protocol.Tests.Support.ParsedRequests;

namespace Dst.Protocol.Tests;

/// <summary>Inline requests are split the way Redis's sdssplitargs splits them (redis-cli quoting).</summary>
public class InlineQuotingTests
{
    public static TheoryData<string, string[]> Cases => new()
    {
        { "SET \"hello world\" v", ["SET", "hello world", "v"] },
        { "SET 'hello world' v", ["SET", "hello world", "v"] },
        { "ECHO \"a\\nb\\rc\\td\\be\\af\"", ["ECHO", "a\nb\rc\td\be\af"] },
        { "ECHO \"\\x41\\x62\\xff\\x0a\"", ["ECHO", "Ab\u00ff\n"] },
        { "ECHO \"\\x4\"", ["ECHO", "x4"] },
        { "ECHO \"\\xZZ\"", ["ECHO", "xZZ"] },
        { "ECHO \"\\q\\\\\\\"\"", ["ECHO", "q\\\""] },
        { "ECHO 'it\\'s'", ["ECHO", "it's"] },
        { "ECHO 'a\\nb'", ["ECHO", "a\\nb"] },
        { "ECHO \"\"", ["ECHO", ""] },
        { "ECHO ''", ["ECHO", ""] },
        { "ECHO foo\"bar baz\"", ["ECHO", "foobar baz"] },
        { "ECHO foo'bar baz'", ["ECHO", "foobar baz"] },
        { "ECHO \"a\"\t'b'", ["ECHO", "a", "b"] },
        { "ECHO \"a\"\v'b'", ["ECHO", "a", "b"] },
        { "ECHO a\vb", ["ECHO", "a\vb"] },
        { "\f\vECHO a", ["ECHO", "a"] },
        { "ECHO a\rb", ["ECHO", "a", "b"] },
        { "ECHO a\0b c", ["ECHO", "a"] },
        { "ECHO \"multi\\x20word\" end", ["ECHO", "multi word", "end"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Inline_arguments_follow_sdssplitargs(string line, string[] expected)
    {
        var outcome = ParseAll(line + "\r\n");

        Assert.Equal(ParseStatus.Incomplete, outcome.Final);
        Assert.Equal([expected], outcome.Texts());
    }

    [Theory]
    [InlineData("ECHO \"abc")]
    [InlineData("ECHO 'abc")]
    [InlineData("ECHO \"abc\"def")]
    [InlineData("ECHO 'abc'def")]
    [InlineData("ECHO \"abc\\\"")]
    [InlineData("ECHO \"ab\0c\"")]
    public void Unbalanced_quotes_are_a_protocol_error(string line)
    {
        var outcome = ParseAll(line + "\r\n");

        Assert.Equal(ParseStatus.Error, outcome.Final);
        Assert.Equal("ERR Protocol error: unbalanced quotes in request", outcome.Error);
    }

    [Fact]
    public void Requests_before_a_malformed_one_are_still_returned()
    {
        var outcome = ParseAll("PING\r\nECHO \"oops\r\nPING\r\n");

        Assert.Equal([["PING"]], outcome.Texts());
        Assert.Equal(ParseStatus.Error, outcome.Final);
    }
}
