using Dst.Cli.Output;
using Dst.Protocol;
using static Dst.Cli.Tests.Output.Print;

namespace Dst.Cli.Tests.Output;

public class PrettyPrinterTests
{
    private static string Pretty(RespValue reply) => With(new PrettyPrinter(), reply);

    [Fact]
    public void Bulk_strings_are_quoted() => Assert.Equal("\"v1\"\n", Pretty(Bulk("v1")));

    [Fact]
    public void The_ok_reply_of_typed_commands_prints_quoted_as_in_the_seed() => Assert.Equal("\"ok\"\n", Pretty(Bulk("ok")));

    [Fact]
    public void Status_replies_print_bare() => Assert.Equal("OK\n", Pretty(RespValue.SimpleString("OK")));

    [Fact]
    public void Integers_doubles_and_big_numbers_carry_their_type()
    {
        Assert.Equal("(integer) 3\n", Pretty(Int(3)));
        Assert.Equal("(integer) -9223372036854775808\n", Pretty(Int(long.MinValue)));
        Assert.Equal("(double) 1.5\n", Pretty(RespValue.FromDouble(1.5)));
        Assert.Equal("(double) inf\n", Pretty(RespValue.FromDouble(double.PositiveInfinity)));
        Assert.Equal("(big number) 123456789012345678901234567890\n", Pretty(RespValue.BigNumber("123456789012345678901234567890")));
    }

    [Fact]
    public void Nil_booleans_and_errors()
    {
        Assert.Equal("(nil)\n", Pretty(RespValue.Null));
        Assert.Equal("(true)\n", Pretty(RespValue.True));
        Assert.Equal("(false)\n", Pretty(RespValue.False));
        Assert.Equal("(error) ERR unknown command 'x'\n", Pretty(RespValue.SimpleError("ERR unknown command 'x'")));
        Assert.Equal("(error) WRONGTYPE bad\n", Pretty(RespValue.BulkError("WRONGTYPE bad")));
    }

    [Fact]
    public void Strings_escape_like_redis_cli_but_keep_printable_unicode()
    {
        Assert.Equal("\"a\\\"b\\\\c\\n\\r\\t\\a\\b\\x00\\x7f\"\n", Pretty(Bulk("a\"b\\c\n\r\t\a\b\0\u007f")));
        Assert.Equal("\"日本 é\"\n", Pretty(Bulk("日本 é")));
        Assert.Equal("\"\\xff\\xfe\"\n", Pretty(RespValue.BulkString(new byte[] { 0xFF, 0xFE })));
    }

    [Fact]
    public void Verbatim_text_prints_as_is() =>
        Assert.Equal("# Server\r\nrole:master\n", Pretty(RespValue.Verbatim("txt", "# Server\r\nrole:master")));

    [Fact]
    public void Empty_aggregates_name_their_kind()
    {
        Assert.Equal("(empty array)\n", Pretty(Array()));
        Assert.Equal("(empty hash)\n", Pretty(Map()));
        Assert.Equal("(empty set)\n", Pretty(RespValue.Set()));
    }

    [Fact]
    public void Arrays_print_as_numbered_lists() =>
        Assert.Equal("1) \"a\"\n2) (integer) 2\n3) (nil)\n", Pretty(Array(Bulk("a"), Int(2), RespValue.Null)));

    [Fact]
    public void Ten_or_more_items_right_align_their_numbers()
    {
        var reply = Array([.. Enumerable.Range(1, 10).Select(i => Int(i))]);
        var lines = Pretty(reply).Split('\n');
        Assert.Equal(" 1) (integer) 1", lines[0]);
        Assert.Equal(" 9) (integer) 9", lines[8]);
        Assert.Equal("10) (integer) 10", lines[9]);
    }

    [Fact]
    public void Nested_arrays_indent_under_their_parent() =>
        Assert.Equal(
            "1) 1) \"a\"\n   2) 1) \"deep\"\n      2) \"er\"\n2) \"c\"\n3) (empty array)\n",
            Pretty(Array(Array(Bulk("a"), Array(Bulk("deep"), Bulk("er"))), Bulk("c"), Array())));

    [Fact]
    public void Sets_number_with_a_tilde() =>
        Assert.Equal("1~ \"x\"\n2~ \"y\"\n", Pretty(RespValue.Set(Bulk("x"), Bulk("y"))));

    [Fact]
    public void A_small_flat_map_prints_on_one_line_like_the_seed() =>
        Assert.Equal("{\"k1\" : \"v1\", \"k2\" : \"v2\"}\n", Pretty(Map(Bulk("k1"), Bulk("v1"), Bulk("k2"), Bulk("v2"))));

    [Fact]
    public void One_line_maps_show_numbers_booleans_and_nil_bare() =>
        Assert.Equal(
            "{\"n\" : 3, \"d\" : 1.5, \"b\" : true, \"z\" : nil, \"s\" : \"OK\"}\n",
            Pretty(Map(Bulk("n"), Int(3), Bulk("d"), RespValue.FromDouble(1.5), Bulk("b"), RespValue.True, Bulk("z"), RespValue.Null, Bulk("s"), RespValue.SimpleString("OK"))));

    [Fact]
    public void A_map_with_a_nested_value_prints_as_numbered_pairs() =>
        Assert.Equal(
            "1# \"server\" => \"dst\"\n2# \"proto\" => (integer) 3\n3# \"modules\" => (empty array)\n",
            Pretty(Map(Bulk("server"), Bulk("dst"), Bulk("proto"), Int(3), Bulk("modules"), Array())));

    [Fact]
    public void A_map_too_wide_for_one_line_prints_as_numbered_pairs()
    {
        var value = new string('v', 70);
        Assert.Equal(
            $"1# \"a\" => \"{value}\"\n2# \"b\" => \"c\"\n",
            Pretty(Map(Bulk("a"), Bulk(value), Bulk("b"), Bulk("c"))));
    }

    [Fact]
    public void A_map_exactly_at_the_width_limit_stays_on_one_line()
    {
        // {"a" : "<v>"} is 10 bytes plus the value.
        var value = new string('v', PrettyPrinter.InlineMapWidth - 10);
        Assert.Equal($"{{\"a\" : \"{value}\"}}\n", Pretty(Map(Bulk("a"), Bulk(value))));
        Assert.StartsWith("1# ", Pretty(Map(Bulk("a"), Bulk(value + "v"))));
    }

    // A value under a map key indents by the map's numbering only, exactly as redis-cli does.
    [Fact]
    public void Maps_nested_in_arrays_and_arrays_in_maps_indent() =>
        Assert.Equal(
            "1) {\"k\" : \"v\"}\n2) 1# \"list\" => 1) \"x\"\n      2) \"y\"\n",
            Pretty(Array(Map(Bulk("k"), Bulk("v")), Map(Bulk("list"), Array(Bulk("x"), Bulk("y"))))));

    [Fact]
    public void A_resp2_flat_array_of_pairs_prints_as_a_list() =>
        Assert.Equal("1) \"k1\"\n2) \"v1\"\n", Pretty(Array(Bulk("k1"), Bulk("v1"))));
}
