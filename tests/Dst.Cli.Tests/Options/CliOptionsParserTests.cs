using Dst.Cli.Options;

namespace Dst.Cli.Tests.Options;

public class CliOptionsParserTests
{
    private static CliOptions Parse(params string[] args) => CliOptionsParser.Parse(args);

    private static string Error(params string[] args) => Assert.Throws<CliUsageException>(() => CliOptionsParser.Parse(args)).Message;

    [Fact]
    public void Defaults_match_a_local_dst_server()
    {
        var options = Parse();
        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal(6380, options.Port);
        Assert.Equal(ProtocolChoice.Auto, options.Protocol);
        Assert.Null(options.Output);
        Assert.Equal(1, options.Repeat);
        Assert.Empty(options.Command);
    }

    [Fact]
    public void Connection_options_and_a_command()
    {
        var options = Parse("-h", "10.0.0.1", "-p", "7000", "-a", "pw", "--user", "alice", "str.get", "k1");
        Assert.Equal("10.0.0.1", options.Host);
        Assert.Equal(7000, options.Port);
        Assert.Equal("pw", options.Password);
        Assert.Equal("alice", options.User);
        Assert.Equal(["str.get", "k1"], options.Command);
    }

    [Fact]
    public void Options_stop_at_the_first_command_word_so_command_arguments_may_look_like_options() =>
        Assert.Equal(["set", "k", "-p", "--raw"], Parse("set", "k", "-p", "--raw").Command);

    [Fact]
    public void Output_options_choose_the_format_and_the_last_one_wins()
    {
        Assert.Equal(OutputFormat.Raw, Parse("--raw").Output);
        Assert.Equal(OutputFormat.Pretty, Parse("--raw", "--no-raw").Output);
        Assert.Equal(OutputFormat.Json, Parse("--json").Output);
    }

    [Fact]
    public void Without_an_output_option_the_terminal_decides()
    {
        Assert.Equal(OutputFormat.Pretty, Parse().ResolveOutput(stdoutIsTerminal: true));
        Assert.Equal(OutputFormat.Raw, Parse().ResolveOutput(stdoutIsTerminal: false));
        Assert.Equal(OutputFormat.Pretty, Parse("--no-raw").ResolveOutput(stdoutIsTerminal: false));
    }

    [Fact]
    public void Protocol_options()
    {
        Assert.Equal(ProtocolChoice.Resp2, Parse("-2").Protocol);
        Assert.Equal(ProtocolChoice.Resp3, Parse("-3").Protocol);
        Assert.Equal(ProtocolChoice.Resp3, Parse("--resp3").Protocol);
    }

    [Fact]
    public void Repeat_interval_and_exit_code_options()
    {
        var options = Parse("-r", "5", "-i", "0.25", "-e", "ping");
        Assert.Equal(5, options.Repeat);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.Interval);
        Assert.True(options.ExitCodeOnError);
        Assert.Equal(-1, Parse("-r", "-1").Repeat);
    }

    [Fact]
    public void Help_and_version()
    {
        Assert.True(Parse("--help").ShowHelp);
        Assert.True(Parse("-h").ShowHelp);
        Assert.False(Parse("-h", "localhost").ShowHelp);
        Assert.True(Parse("--version").ShowVersion);
        Assert.True(Parse("-v").ShowVersion);
    }

    [Fact]
    public void Database_zero_is_accepted_and_others_are_refused()
    {
        Assert.Equal(6380, Parse("-n", "0").Port);
        Assert.Equal("Invalid database '3': Dst has only database 0", Error("-n", "3"));
    }

    [Fact]
    public void Bad_values_are_named()
    {
        Assert.Equal("Unrecognized option or bad number of args for: '--nope'", Error("--nope"));
        Assert.Equal("Unrecognized option or bad number of args for: '-p'", Error("-p"));
        Assert.Equal("Invalid port 'x': expected a number from 1 to 65535", Error("-p", "x"));
        Assert.Equal("Invalid port '70000': expected a number from 1 to 65535", Error("-p", "70000"));
        Assert.Equal("Invalid repeat count '-5': expected a number, or -1 for forever", Error("-r", "-5"));
        Assert.Equal("Invalid interval 'soon': expected seconds, such as 0.5", Error("-i", "soon"));
        Assert.Equal("--user needs a password: give it with -a", Error("--user", "bob"));
    }
}
