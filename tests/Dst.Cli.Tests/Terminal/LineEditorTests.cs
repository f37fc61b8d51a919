using Dst.Cli.Terminal;

namespace Dst.Cli.Tests.Terminal;

public class LineEditorTests
{
    private static string? Read(ScriptedTerminal terminal, History? history = null) =>
        new LineEditor(terminal, history ?? new History(path: null)).ReadLine("> ");

    [Fact]
    public void Typing_and_enter_return_the_line() =>
        Assert.Equal("str.get k1", Read(new ScriptedTerminal().Type("str.get k1").Press(ConsoleKey.Enter)));

    [Fact]
    public void Arrows_move_the_cursor_for_inserting_in_the_middle() =>
        Assert.Equal("get k1", Read(new ScriptedTerminal().Type("gt k1").Press(ConsoleKey.Home).Press(ConsoleKey.RightArrow).Type("e").Press(ConsoleKey.Enter)));

    [Fact]
    public void Ctrl_a_and_ctrl_e_jump_to_the_ends() =>
        Assert.Equal("[get k1]", Read(new ScriptedTerminal().Type("get k1").Ctrl('a').Type("[").Ctrl('e').Type("]").Press(ConsoleKey.Enter)));

    [Fact]
    public void Backspace_and_delete_remove_around_the_cursor() =>
        Assert.Equal("ac", Read(new ScriptedTerminal().Type("abxc").Press(ConsoleKey.LeftArrow).Press(ConsoleKey.Backspace).Press(ConsoleKey.End).Press(ConsoleKey.LeftArrow).Press(ConsoleKey.LeftArrow).Press(ConsoleKey.Delete).Press(ConsoleKey.Enter)));

    [Fact]
    public void Ctrl_k_and_ctrl_u_kill_to_the_end_and_to_the_start()
    {
        Assert.Equal("get", Read(new ScriptedTerminal().Type("get k1").Ctrl('a').Press(ConsoleKey.RightArrow).Press(ConsoleKey.RightArrow).Press(ConsoleKey.RightArrow).Ctrl('k').Press(ConsoleKey.Enter)));
        Assert.Equal("k1", Read(new ScriptedTerminal().Type("get k1").Press(ConsoleKey.LeftArrow).Press(ConsoleKey.LeftArrow).Ctrl('u').Press(ConsoleKey.Enter)));
    }

    [Fact]
    public void Ctrl_w_deletes_the_word_before_the_cursor() =>
        Assert.Equal("set k ", Read(new ScriptedTerminal().Type("set k value  ").Ctrl('w').Press(ConsoleKey.Enter)));

    [Fact]
    public void Up_and_down_walk_the_history_and_come_back_to_the_draft()
    {
        var history = new History(path: null);
        history.Add("first");
        history.Add("second");
        Assert.Equal("first", Read(new ScriptedTerminal().Press(ConsoleKey.UpArrow).Press(ConsoleKey.UpArrow).Press(ConsoleKey.UpArrow).Press(ConsoleKey.Enter), history));
        Assert.Equal("second", Read(new ScriptedTerminal().Type("dra").Ctrl('p').Ctrl('p').Ctrl('n').Press(ConsoleKey.Enter), history));
        Assert.Equal("draft", Read(new ScriptedTerminal().Type("draft").Press(ConsoleKey.UpArrow).Press(ConsoleKey.DownArrow).Press(ConsoleKey.DownArrow).Press(ConsoleKey.Enter), history));
    }

    [Fact]
    public void Ctrl_d_on_an_empty_line_and_ctrl_c_end_input()
    {
        Assert.Null(Read(new ScriptedTerminal().Ctrl('d')));
        Assert.Null(Read(new ScriptedTerminal().Type("half typed").Ctrl('c')));
        Assert.Equal("ab", Read(new ScriptedTerminal().Type("axb").Press(ConsoleKey.LeftArrow).Press(ConsoleKey.LeftArrow).Ctrl('d').Press(ConsoleKey.Enter)));
    }

    [Fact]
    public void The_screen_shows_the_prompt_the_line_and_the_cursor_column()
    {
        var terminal = new ScriptedTerminal().Type("ab").Press(ConsoleKey.LeftArrow).Press(ConsoleKey.Enter);
        Read(terminal);
        Assert.EndsWith("\r> ab\x1b[0K\r\x1b[3C\r\n", terminal.Screen);
    }

    [Fact]
    public void A_line_wider_than_the_screen_scrolls_to_keep_the_cursor_visible()
    {
        var terminal = new ScriptedTerminal(width: 10).Type("0123456789").Press(ConsoleKey.Enter);
        Assert.Equal("0123456789", Read(terminal));
        // Prompt (2) + cursor must stay under 10 columns: the first three characters scroll off.
        Assert.EndsWith("\r> 3456789\x1b[0K\r\x1b[9C\r\n", terminal.Screen);
    }
}
