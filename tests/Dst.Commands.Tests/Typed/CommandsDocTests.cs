using System.Text;
using Dst.Commands.Docs;

namespace Dst.Commands.Tests.Typed;

/// <summary>
/// docs/commands.md lists every command from <see cref="CommandTable.Default"/> between two markers.
/// The test fails when the document and the table disagree; run it with DST_UPDATE_COMMAND_DOCS=1
/// to rewrite the list from the table.
/// </summary>
public sealed class CommandsDocTests
{
    private const string Begin = "<!-- command-table:begin (generated from CommandTable.Default by CommandsDocTests) -->";
    private const string End = "<!-- command-table:end -->";

    [Fact]
    public void The_command_reference_matches_the_command_table()
    {
        var path = FindDoc();
        var text = File.ReadAllText(path);
        var begin = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"{path} has no generated command table between its markers");
        var current = text[(begin + Begin.Length)..end];
        var expected = Generate(CommandTable.Default);
        if (current != expected && Environment.GetEnvironmentVariable("DST_UPDATE_COMMAND_DOCS") == "1")
        {
            File.WriteAllText(path, text[..(begin + Begin.Length)] + expected + text[end..]);
            return;
        }
        Assert.Equal(expected, current);
    }

    private static string Generate(CommandTable table)
    {
        var doc = new StringBuilder();
        doc.Append('\n');
        doc.Append("| command | arguments | arity | flags | keys (first, last, step) | group | summary |\n");
        doc.Append("| --- | --- | --- | --- | --- | --- | --- |\n");
        foreach (var spec in table.All)
        {
            var keys = spec.HasKeys ? $"{spec.FirstKey}, {spec.LastKey}, {spec.KeyStep}" : (spec.Flags & CommandFlags.MovableKeys) != 0 ? "movable" : "none";
            var usage = spec.Arguments.Count == 0 ? "" : $"`{Cell(CommandSyntax.Usage(spec.Arguments))}`";
            doc.Append($"| `{spec.Name}` | {usage} | {spec.Arity} | {Flags(spec.Flags)} | {keys} | {spec.Group} | {Cell(spec.Summary)} |\n");
        }
        return doc.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Flags(CommandFlags flags)
    {
        var names = Enum.GetValues<CommandFlags>()
            .Where(flag => flag != CommandFlags.None && (flags & flag) == flag)
            .Select(flag => flag.ToString().ToLowerInvariant());
        return string.Join(" ", names);
    }

    private static string FindDoc()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "docs", "commands.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("docs/commands.md not found above the test directory");
    }
}
