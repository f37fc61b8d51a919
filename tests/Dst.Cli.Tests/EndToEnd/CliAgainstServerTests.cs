using System.Globalization;

namespace Dst.Cli.Tests.EndToEnd;

/// <summary>The real dst-cli binary against a real dst-server: both syntaxes, every output format, piped input.</summary>
public class CliAgainstServerTests(DstServerFixture server) : IClassFixture<DstServerFixture>
{
    private string Port => server.Port.ToString(CultureInfo.InvariantCulture);

    private Task<CliRun> Cli(params string[] arguments) => CliRun.RunAsync(["-p", Port, .. arguments]);

    private Task<CliRun> Piped(string stdin, params string[] options) => CliRun.RunAsync(["-p", Port, .. options], stdin);

    [Fact]
    public async Task A_command_given_as_arguments_runs_once_and_prints_readably()
    {
        Assert.Equal("OK\n", (await Cli("--no-raw", "set", "args:k", "v1")).Stdout);
        var run = await Cli("--no-raw", "get", "args:k");
        Assert.Equal("\"v1\"\n", run.Stdout);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task Typed_commands_in_redis_cli_syntax_as_in_the_seed()
    {
        var run = await Piped("str.put \"seed:k1\" \"v1\"\nstr.get \"seed:k1\"\n", "--no-raw");
        Assert.True(run.Stdout == "\"ok\"\n\"v1\"\n", run.ToString());
    }

    [Fact]
    public async Task Typed_commands_in_function_call_syntax_as_in_the_seed()
    {
        var run = await Piped("str.put(\"call:k1\", \"v1\")\nstr.get(\"call:k1\")\n", "--no-raw");
        Assert.True(run.Stdout == "\"ok\"\n\"v1\"\n", run.ToString());
    }

    [Fact]
    public async Task Function_call_syntax_reaches_redis_commands_too()
    {
        var run = await Piped("set(\"fn:k\", \"a b\")\nget(fn:k)\nincrby(\"fn:n\", 5)\n", "--no-raw");
        Assert.True(run.Stdout == "OK\n\"a b\"\n(integer) 5\n", run.ToString());
    }

    [Fact]
    public async Task A_dict_prints_as_a_one_line_map_over_resp3_as_in_the_seed()
    {
        var run = await Piped("dict.put \"dict_1\" \"k1\" \"v1\" \"k2\" \"v2\"\ndict.get \"dict_1\"\ndict.get \"dict_1\" \"k2\"\n", "--no-raw");
        Assert.True(run.Stdout == "\"ok\"\n{\"k1\" : \"v1\", \"k2\" : \"v2\"}\n\"v2\"\n", run.ToString());
    }

    [Fact]
    public async Task Pretty_printing_of_integers_nil_lists_and_errors()
    {
        var run = await Piped("mset pp:a 1 pp:b \"x y\"\nincr pp:a\nget pp:missing\nmget pp:a pp:missing pp:b\nnosuchcommand 1\n", "--no-raw");
        Assert.True(
            run.Stdout == "OK\n(integer) 2\n(nil)\n1) \"2\"\n2) (nil)\n3) \"x y\"\n(error) ERR unknown command 'nosuchcommand', with args beginning with: '1' \n",
            run.ToString());
    }

    [Fact]
    public async Task Resp3_maps_from_the_server_print_as_maps()
    {
        var run = await Cli("--no-raw", "hello", "3");
        Assert.StartsWith("1# \"server\" => ", run.Stdout);
        Assert.Contains("\n3# \"proto\" => (integer) 3\n", run.Stdout);
    }

    [Fact]
    public async Task Resp2_sessions_print_the_same_reply_as_a_flat_list()
    {
        var run = await Cli("--no-raw", "-2", "hello", "2");
        Assert.StartsWith(" 1) \"server\"\n", run.Stdout);
    }

    [Fact]
    public async Task Raw_output_prints_values_only()
    {
        await Cli("mset", "raw:a", "1", "raw:b", "two words");
        Assert.Equal("two words\n", (await Cli("--raw", "get", "raw:b")).Stdout);
        Assert.Equal("1\n\ntwo words\n", (await Cli("--raw", "mget", "raw:a", "raw:missing", "raw:b")).Stdout);
        Assert.Equal("7\n", (await Cli("--raw", "incrby", "raw:n", "7")).Stdout);
    }

    [Fact]
    public async Task Output_to_a_pipe_is_raw_unless_asked_otherwise()
    {
        var run = await Piped("set pipe:k v\nget pipe:k\nexists pipe:k\n");
        Assert.True(run.Stdout == "OK\nv\n1\n", run.ToString());
    }

    [Fact]
    public async Task Json_output_prints_one_value_per_reply()
    {
        var run = await Piped("set json:k \"a\\\"b\"\nget json:k\nmget json:k json:missing\nincr json:n\nnosuchcommand\n", "--json");
        Assert.True(
            run.Stdout == "\"OK\"\n\"a\\\"b\"\n[\"a\\\"b\",null]\n1\n{\"error\":\"ERR unknown command 'nosuchcommand', with args beginning with: \"}\n",
            run.ToString());
    }

    [Fact]
    public async Task Piped_input_reports_bad_lines_and_carries_on()
    {
        var run = await Piped("set bad:k \"unterminated\nset bad:k ok\nget bad:k\n");
        Assert.Equal("Invalid argument(s)\n", run.Stderr);
        Assert.True(run.Stdout == "OK\nok\n", run.ToString());
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task Quit_stops_reading_piped_input()
    {
        var run = await Piped("set quit:k 1\nquit\nset quit:k 2\n");
        Assert.Equal("OK\n", run.Stdout);
        Assert.Equal("1\n", (await Cli("get", "quit:k")).Stdout);
    }

    [Fact]
    public async Task Repeat_runs_the_command_n_times()
    {
        var run = await Cli("-r", "3", "incr", "repeat:n");
        Assert.Equal("1\n2\n3\n", run.Stdout);
    }

    [Fact]
    public async Task Error_replies_exit_with_1_only_under_e()
    {
        Assert.Equal(0, (await Cli("nosuchcommand")).ExitCode);
        Assert.Equal(1, (await Cli("-e", "nosuchcommand")).ExitCode);
    }

    [Fact]
    public async Task Help_for_a_command_comes_from_command_docs()
    {
        var run = await Cli("help", "get");
        Assert.True(run.Stdout.StartsWith("\n  get", StringComparison.Ordinal) && run.Stdout.Contains("  group: string\n", StringComparison.Ordinal), run.ToString());
        var zadd = await Cli("help", "zadd");
        Assert.True(zadd.Stdout.StartsWith("\n  zadd key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]\n", StringComparison.Ordinal), zadd.ToString());
        var zunionstore = await Cli("help", "ZUNIONSTORE");
        Assert.True(zunionstore.Stdout.StartsWith("\n  zunionstore destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]\n", StringComparison.Ordinal), zunionstore.ToString());
        var typed = await Cli("help", "dict.put");
        Assert.True(typed.Stdout.StartsWith("\n  dict.put key field value [field value ...]\n", StringComparison.Ordinal), typed.ToString());
    }

    [Fact]
    public async Task Binary_values_survive_raw_output()
    {
        await Piped("set bin:k \"\\xff\\x00A\"\n");
        var pretty = await Cli("--no-raw", "get", "bin:k");
        Assert.Equal("\"\\xff\\x00A\"\n", pretty.Stdout);
    }
}
