using System.Buffers;
using System.Text;
using Dst.Cli.Output;
using Dst.Protocol;

namespace Dst.Cli.Tests.Output;

/// <summary>Replies exactly as RESP2 and RESP3 servers send them, read by the protocol reader and printed.</summary>
public class WireRepliesTests
{
    private static RespValue Read(string wire)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(wire)));
        Assert.Equal(ParseStatus.Complete, new RespReader().TryRead(ref reader, out var value, out var error));
        Assert.Null(error);
        return value!;
    }

    private static string Pretty(string wire) => Print.With(new PrettyPrinter(), Read(wire));

    [Theory]
    [InlineData("$-1\r\n", "(nil)\n")]
    [InlineData("*-1\r\n", "(nil)\n")]
    [InlineData("_\r\n", "(nil)\n")]
    [InlineData("+OK\r\n", "OK\n")]
    [InlineData("$2\r\nok\r\n", "\"ok\"\n")]
    [InlineData("-ERR wrong number of arguments for 'get' command\r\n", "(error) ERR wrong number of arguments for 'get' command\n")]
    [InlineData("!9\r\nERR inner\r\n", "(error) ERR inner\n")]
    [InlineData(":42\r\n", "(integer) 42\n")]
    [InlineData(",3.25\r\n", "(double) 3.25\n")]
    [InlineData("#t\r\n", "(true)\n")]
    [InlineData("(12345678901234567890\r\n", "(big number) 12345678901234567890\n")]
    [InlineData("=9\r\ntxt:hello\r\n", "hello\n")]
    [InlineData("*0\r\n", "(empty array)\n")]
    public void Scalars_from_both_protocols(string wire, string printed) => Assert.Equal(printed, Pretty(wire));

    [Fact]
    public void A_resp2_hgetall_is_a_numbered_list() =>
        Assert.Equal("1) \"k1\"\n2) \"v1\"\n3) \"k2\"\n4) \"v2\"\n", Pretty("*4\r\n$2\r\nk1\r\n$2\r\nv1\r\n$2\r\nk2\r\n$2\r\nv2\r\n"));

    [Fact]
    public void The_same_reply_over_resp3_is_a_one_line_map() =>
        Assert.Equal("{\"k1\" : \"v1\", \"k2\" : \"v2\"}\n", Pretty("%2\r\n$2\r\nk1\r\n$2\r\nv1\r\n$2\r\nk2\r\n$2\r\nv2\r\n"));

    [Fact]
    public void A_resp3_set_and_a_nested_map()
    {
        Assert.Equal("1~ \"a\"\n2~ \"b\"\n", Pretty("~2\r\n$1\r\na\r\n$1\r\nb\r\n"));
        Assert.Equal("1# \"m\" => {\"x\" : 1}\n", Pretty("%1\r\n$1\r\nm\r\n%1\r\n$1\r\nx\r\n:1\r\n"));
    }

    [Fact]
    public void Json_of_a_resp3_map_and_a_resp2_null_array()
    {
        Assert.Equal("{\"k1\":\"v1\",\"n\":null}\n", Print.With(new JsonPrinter(), Read("%2\r\n$2\r\nk1\r\n$2\r\nv1\r\n$1\r\nn\r\n_\r\n")));
        Assert.Equal("null\n", Print.With(new JsonPrinter(), Read("*-1\r\n")));
    }
}
