using Dst.Cli.Output;
using Dst.Protocol;
using static Dst.Cli.Tests.Output.Print;

namespace Dst.Cli.Tests.Output;

public class RawAndJsonPrinterTests
{
    private static string Raw(RespValue reply) => With(new RawPrinter(), reply);

    private static string Json(RespValue reply) => With(new JsonPrinter(), reply);

    [Fact]
    public void Raw_prints_values_without_quotes_or_tags()
    {
        Assert.Equal("v1\n", Raw(Bulk("v1")));
        Assert.Equal("a\"b\nc\n", Raw(Bulk("a\"b\nc")));
        Assert.Equal("OK\n", Raw(RespValue.SimpleString("OK")));
        Assert.Equal("3\n", Raw(Int(3)));
        Assert.Equal("1.5\n", Raw(RespValue.FromDouble(1.5)));
        Assert.Equal("\n", Raw(RespValue.Null));
        Assert.Equal("(true)\n", Raw(RespValue.True));
        Assert.Equal("ERR bad\n", Raw(RespValue.SimpleError("ERR bad")));
        Assert.Equal("line1\nline2\n", Raw(RespValue.Verbatim("txt", "line1\nline2")));
    }

    [Fact]
    public void Raw_keeps_binary_bytes()
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        new RawPrinter().Print(RespValue.BulkString(new byte[] { 0xFF, 0x00 }), output);
        Assert.Equal(new byte[] { 0xFF, 0x00, (byte)'\n' }, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Raw_prints_aggregates_one_item_a_line_and_map_pairs_as_key_space_value()
    {
        Assert.Equal("a\nb\n\nc\n", Raw(Array(Bulk("a"), Array(Bulk("b"), RespValue.Null), Bulk("c"))));
        Assert.Equal("k1 v1\nk2 2\n", Raw(Map(Bulk("k1"), Bulk("v1"), Bulk("k2"), Int(2))));
        Assert.Equal("\n", Raw(Array()));
    }

    [Fact]
    public void Json_prints_scalars()
    {
        Assert.Equal("\"v1\"\n", Json(Bulk("v1")));
        Assert.Equal("\"OK\"\n", Json(RespValue.SimpleString("OK")));
        Assert.Equal("3\n", Json(Int(3)));
        Assert.Equal("1.5\n", Json(RespValue.FromDouble(1.5)));
        Assert.Equal("\"inf\"\n", Json(RespValue.FromDouble(double.PositiveInfinity)));
        Assert.Equal("\"nan\"\n", Json(RespValue.FromDouble(double.NaN)));
        Assert.Equal("12345678901234567890123\n", Json(RespValue.BigNumber("12345678901234567890123")));
        Assert.Equal("null\n", Json(RespValue.Null));
        Assert.Equal("true\n", Json(RespValue.True));
        Assert.Equal("\"# Server\"\n", Json(RespValue.Verbatim("txt", "# Server")));
    }

    [Fact]
    public void Json_prints_errors_as_an_object() =>
        Assert.Equal("{\"error\":\"ERR wrong \\\"x\\\"\"}\n", Json(RespValue.SimpleError("ERR wrong \"x\"")));

    [Fact]
    public void Json_escapes_strings_and_keeps_unicode()
    {
        Assert.Equal("\"a\\nb\\t\\\\ \\u0001 日本\"\n", Json(Bulk("a\nb\t\\ \u0001 日本")));
        Assert.Equal("\"\\u00ff\"\n", Json(RespValue.BulkString(new byte[] { 0xFF })));
    }

    [Fact]
    public void Json_prints_maps_as_objects_and_aggregates_as_arrays()
    {
        Assert.Equal(
            "{\"k1\":\"v1\",\"n\":[1,null,[]],\"s\":[\"x\"],\"m\":{}}\n",
            Json(Map(Bulk("k1"), Bulk("v1"), Bulk("n"), Array(Int(1), RespValue.Null, Array()), Bulk("s"), RespValue.Set(Bulk("x")), Bulk("m"), Map())));
        Assert.Equal("[]\n", Json(Array()));
    }

    [Fact]
    public void Json_object_keys_that_are_not_strings_use_their_text() =>
        Assert.Equal("{\"1\":\"a\",\"true\":\"b\"}\n", Json(Map(Int(1), Bulk("a"), RespValue.True, Bulk("b"))));
}
