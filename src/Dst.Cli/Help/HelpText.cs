using System.Text;

namespace Dst.Cli.Help;

/// <summary>What <c>help</c> prints: the general text, and one command's documentation.</summary>
public static class HelpText
{
    public static string General(string version) => $"""
        dst-cli {version}
        To get help about a command:
              "help <command>" for help on <command> (from the server's COMMAND DOCS)
        To quit:
              "quit" or "exit"
        Commands can be typed the redis-cli way or as a function call:
              str.put "k1" "v1"
              str.put("k1", "v1")
              task_table.add "00001", "22222", 3, ["1", "2"]   (an array is sent as one JSON argument)
        Editing: left/right, home/end (ctrl-a/ctrl-e), ctrl-k, ctrl-u, ctrl-w; up/down for history.
        """;

    public static string For(CommandDoc doc)
    {
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine($"  {doc.Usage}");
        AppendField(text, "summary", doc.Summary);
        AppendField(text, "since", doc.Since);
        AppendField(text, "group", doc.Group);
        AppendField(text, "complexity", doc.Complexity);
        return text.ToString();
    }

    private static void AppendField(StringBuilder text, string label, string? value)
    {
        if (value is not null)
        {
            text.AppendLine($"  {label}: {value}");
        }
    }
}
