using System.Text;
using Dst.Cli.Parsing;

namespace Dst.Cli.Tests.Parsing;

public class CommandLineParserTests
{
    private static string[] Parse(string line) => [.. CommandLineParser.Parse(line).Select(Encoding.UTF8.GetString)];

    private static string Error(string line) => Assert.Throws<CommandLineSyntaxException>(() => CommandLineParser.Parse(line)).Message;

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t \r\n")]
    public void A_blank_line_has_no_arguments(string line) => Assert.Empty(Parse(line));

    [Fact]
    public void Redis_cli_form_splits_on_blanks() =>
        Assert.Equal(["str.put", "k1", "v1"], Parse("  str.put   k1\tv1  "));

    [Fact]
    public void Redis_cli_form_reads_double_and_single_quotes() =>
        Assert.Equal(["str.put", "k1", "two words", "it's"], Parse("str.put \"k1\" \"two words\" 'it\\'s'"));

    [Fact]
    public void Double_quotes_understand_every_redis_cli_escape() =>
        Assert.Equal(["echo", "a\nb\rc\td\be\af\\g\"hZ"], Parse("echo \"a\\nb\\rc\\td\\be\\af\\\\g\\\"h\\x5a\""));

    [Fact]
    public void Hex_escape_sends_one_raw_byte()
    {
        var arguments = CommandLineParser.Parse("set k \"\\xff\\x00\"");
        Assert.Equal(new byte[] { 0xFF, 0x00 }, arguments[2]);
    }

    [Fact]
    public void Hex_escape_needs_two_hex_digits_otherwise_x_is_literal() =>
        Assert.Equal(["echo", "xzz"], Parse("echo \"\\xzz\""));

    [Fact]
    public void Unknown_escape_in_double_quotes_stands_for_the_character() =>
        Assert.Equal(["echo", "q"], Parse("echo \"\\q\""));

    [Fact]
    public void Single_quotes_keep_backslashes_except_before_a_quote() =>
        Assert.Equal(["echo", "a\\nb'c"], Parse("echo 'a\\nb\\'c'"));

    [Fact]
    public void A_quote_inside_a_bare_word_opens_a_quoted_section_like_sdssplitargs() =>
        Assert.Equal(["set", "k", "ab c"], Parse("set k a\"b c\""));

    [Fact]
    public void Non_ascii_text_is_sent_as_utf8()
    {
        var arguments = CommandLineParser.Parse("set clé \"日本😀\"");
        Assert.Equal(Encoding.UTF8.GetBytes("clé"), arguments[1]);
        Assert.Equal(Encoding.UTF8.GetBytes("日本😀"), arguments[2]);
    }

    [Theory]
    [InlineData("set k \"v")]
    [InlineData("set k 'v")]
    [InlineData("set k \"v\\\"")]
    [InlineData("set k \"a\"b")]
    [InlineData("set k 'a'b")]
    public void Unbalanced_or_glued_quotes_give_redis_cli_wording(string line) =>
        Assert.Equal("Invalid argument(s)", Error(line));

    [Fact]
    public void Brackets_parentheses_and_commas_are_plain_characters_in_the_redis_cli_form() =>
        Assert.Equal(["zrangebylex", "k", "[a", "(c", "x,y", "a,b"], Parse("zrangebylex k [a (c x,y a,b"));

    [Fact]
    public void Function_call_form_with_quoted_arguments() =>
        Assert.Equal(["str.put", "k1", "v1"], Parse("str.put(\"k1\", \"v1\")"));

    [Fact]
    public void Function_call_form_with_bare_words_numbers_and_blanks() =>
        Assert.Equal(["zset.add", "z", "1.5", "m", "-3"], Parse("  zset.add( z ,1.5,  m , -3 )  "));

    [Fact]
    public void Function_call_form_without_arguments() => Assert.Equal(["ping"], Parse("ping()"));

    [Fact]
    public void Function_call_form_keeps_quoted_commas_and_parentheses() =>
        Assert.Equal(["str.put", "k", "a, (b)"], Parse("str.put(k, \"a, (b)\")"));

    [Fact]
    public void Function_call_form_uses_redis_cli_escapes() =>
        Assert.Equal(["str.put", "k", "line\n", "it's"], Parse("str.put('k', \"line\\n\", 'it\\'s')"));

    [Fact]
    public void Comma_list_form_from_the_seed_sends_an_array_as_one_json_argument() =>
        Assert.Equal(
            ["task_table.add", "00001", "22222", "my_task", "3", "[\"1\",\"2\"]"],
            Parse("task_table.add \"00001\", \"22222\", \"my_task\", 3, [\"1\", \"2\"]"));

    [Fact]
    public void Comma_list_form_with_bare_words_needs_a_blank_after_the_first_comma() =>
        Assert.Equal(["dict.put", "d", "k1", "v1"], Parse("dict.put d, k1,v1"));

    [Fact]
    public void A_bare_word_glued_to_a_comma_stays_one_redis_word() => Assert.Equal(["get", "a,b"], Parse("get a,b"));

    [Fact]
    public void Arrays_keep_numbers_and_literals_quote_bare_words_and_nest() =>
        Assert.Equal(["f", "[1,-2.5e3,true,null,\"word\",\"3\",[],[\"a\\\"b\"]]"], Parse("f([1, -2.5e3, true, null, word, \"3\", [], ['a\"b']])"));

    [Fact]
    public void Array_text_escapes_control_characters_as_json() =>
        Assert.Equal(["f", "[\"a\\nb\"]"], Parse("f([\"a\\nb\"])"));

    [Fact]
    public void A_word_that_looks_like_a_call_but_has_a_space_before_the_parenthesis_is_redis_cli_form() =>
        Assert.Equal(["task_table.query", "(*)", "when", "driver_id", "==", "22222"], Parse("task_table.query (*) when driver_id == \"22222\""));

    [Theory]
    [InlineData("str.put(\"k1\", \"v1\"", "Invalid argument(s): missing ')'")]
    [InlineData("str.put(\"k1\" \"v1\")", "Invalid argument(s): expected ',' or ')' at column 14, found '\"'")]
    [InlineData("str.put(\"k1\",)", "Invalid argument(s): missing argument before ')' at column 14")]
    [InlineData("str.put(,\"k1\")", "Invalid argument(s): missing argument before ',' at column 9")]
    [InlineData("str.put(\"k1\") extra", "Invalid argument(s): unexpected text after ')' at column 15")]
    [InlineData("str.put(\"k1\"x)", "Invalid argument(s): unexpected 'x' after a closing quote at column 13")]
    [InlineData("f([1, 2)", "Invalid argument(s): expected ',' or ']' at column 8, found ')'")]
    [InlineData("f([1, 2", "Invalid argument(s): missing ']'")]
    [InlineData("f(\"unterminated)", "Invalid argument(s)")]
    [InlineData("t.add \"a\", \"b\" \"c\"", "Invalid argument(s): expected ',' at column 16, found '\"'")]
    [InlineData("t.add \"a\", ", "Invalid argument(s): missing argument before the end of the line at column 12")]
    public void Malformed_lists_name_the_problem(string line, string message) => Assert.Equal(message, Error(line));
}
