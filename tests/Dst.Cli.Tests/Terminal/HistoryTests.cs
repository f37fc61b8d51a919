using System.Text;
using Dst.Cli.Parsing;
using Dst.Cli.Terminal;

namespace Dst.Cli.Tests.Terminal;

public sealed class HistoryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dst-cli-history-").FullName;

    private string FilePath => Path.Combine(_directory, ".dst_history");

    [Fact]
    public void Lines_persist_across_sessions()
    {
        var first = new History(FilePath);
        first.Add("str.put k1 v1");
        first.Add("str.get(\"k1\")");
        var second = new History(FilePath);
        second.Load();
        Assert.Equal(["str.put k1 v1", "str.get(\"k1\")"], second.Entries);
        Assert.Equal(Encoding.UTF8.GetBytes("str.put k1 v1\n"), File.ReadAllBytes(FilePath)[..14]);
    }

    [Fact]
    public void Blank_lines_and_repeats_of_the_previous_line_are_not_kept()
    {
        var history = new History(FilePath);
        history.Add("ping");
        history.Add("ping");
        history.Add("   ");
        history.Add("get a");
        history.Add("ping");
        Assert.Equal(["ping", "get a", "ping"], history.Entries);
    }

    [Fact]
    public void Only_the_newest_lines_up_to_the_capacity_are_kept_in_memory_and_on_disk()
    {
        var history = new History(FilePath, capacity: 3);
        foreach (var i in Enumerable.Range(1, 5))
        {
            history.Add($"get k{i}");
        }
        Assert.Equal(["get k3", "get k4", "get k5"], history.Entries);
        Assert.Equal(["get k3", "get k4", "get k5"], File.ReadAllLines(FilePath));
    }

    [Fact]
    public void A_missing_or_unwritable_history_file_does_not_stop_the_session()
    {
        var missing = new History(Path.Combine(_directory, "no", "such", "dir", "history"));
        missing.Load();
        missing.Add("ping");
        Assert.Equal(["ping"], missing.Entries);
    }

    [Fact]
    public void The_environment_variable_chooses_the_file()
    {
        var previous = Environment.GetEnvironmentVariable("DST_CLI_HISTFILE");
        try
        {
            Environment.SetEnvironmentVariable("DST_CLI_HISTFILE", FilePath);
            Assert.Equal(FilePath, History.DefaultPath());
        }
        finally
        {
            Environment.SetEnvironmentVariable("DST_CLI_HISTFILE", previous);
        }
    }

    [Theory]
    [InlineData("auth secret", true)]
    [InlineData("AUTH alice secret", true)]
    [InlineData("hello 3 auth alice secret", true)]
    [InlineData("acl setuser alice >pw", true)]
    [InlineData("config set requirepass pw", true)]
    [InlineData("hello 3", false)]
    [InlineData("get auth", false)]
    [InlineData("config get requirepass", false)]
    public void Commands_with_passwords_are_recognised(string line, bool sensitive) =>
        Assert.Equal(sensitive, SensitiveCommands.Contains(CommandLineParser.Parse(line)));

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
