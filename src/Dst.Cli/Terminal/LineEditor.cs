using System.Text;

namespace Dst.Cli.Terminal;

/// <summary>
/// Reads one line on a terminal with editing and history, in the manner of linenoise (which
/// redis-cli uses): left/right (ctrl-b/ctrl-f), home/end (ctrl-a/ctrl-e), backspace, delete,
/// ctrl-k, ctrl-u, ctrl-w, up/down (ctrl-p/ctrl-n) through <see cref="History"/>, ctrl-l to clear
/// the screen. Enter returns the line; ctrl-d on an empty line and ctrl-c end input (null).
/// A line wider than the screen scrolls sideways so the cursor stays visible.
/// </summary>
public sealed class LineEditor(ITerminal terminal, History history)
{
    private const char CtrlA = '\x01', CtrlB = '\x02', CtrlC = '\x03', CtrlD = '\x04', CtrlE = '\x05', CtrlF = '\x06';
    private const char CtrlH = '\x08', CtrlK = '\x0b', CtrlL = '\x0c', CtrlN = '\x0e', CtrlP = '\x10', CtrlU = '\x15', CtrlW = '\x17';
    private const char Delete = '\x7f';

    public string? ReadLine(string prompt)
    {
        var line = new LineBuffer();
        var browsing = new HistoryBrowser(history);
        Refresh(prompt, line);
        while (true)
        {
            var key = terminal.ReadKey();
            switch (Classify(key))
            {
                case EditorAction.Accept:
                    terminal.Write("\r\n");
                    return line.Text;
                case EditorAction.Interrupt:
                    terminal.Write("^C\r\n");
                    return null;
                case EditorAction.EndOfInputOrDelete when line.Length == 0:
                    terminal.Write("\r\n");
                    return null;
                case EditorAction.EndOfInputOrDelete or EditorAction.DeleteAt:
                    line.DeleteAt();
                    break;
                case EditorAction.DeleteBefore:
                    line.DeleteBefore();
                    break;
                case EditorAction.Left:
                    line.MoveLeft();
                    break;
                case EditorAction.Right:
                    line.MoveRight();
                    break;
                case EditorAction.Home:
                    line.MoveHome();
                    break;
                case EditorAction.End:
                    line.MoveEnd();
                    break;
                case EditorAction.KillToEnd:
                    line.KillToEnd();
                    break;
                case EditorAction.KillToStart:
                    line.KillToStart();
                    break;
                case EditorAction.DeleteWord:
                    line.DeleteWordBefore();
                    break;
                case EditorAction.Previous when browsing.Previous(line.Text) is { } older:
                    line.Replace(older);
                    break;
                case EditorAction.Next when browsing.Next() is { } newer:
                    line.Replace(newer);
                    break;
                case EditorAction.ClearScreen:
                    terminal.Write("\x1b[H\x1b[2J");
                    break;
                case EditorAction.Insert:
                    line.Insert(key.KeyChar);
                    break;
            }
            Refresh(prompt, line);
        }
    }

    private static EditorAction Classify(ConsoleKeyInfo key)
    {
        switch (key.Key)
        {
            case ConsoleKey.Enter:
                return EditorAction.Accept;
            case ConsoleKey.Backspace:
                return EditorAction.DeleteBefore;
            case ConsoleKey.Delete:
                return EditorAction.DeleteAt;
            case ConsoleKey.LeftArrow:
                return EditorAction.Left;
            case ConsoleKey.RightArrow:
                return EditorAction.Right;
            case ConsoleKey.Home:
                return EditorAction.Home;
            case ConsoleKey.End:
                return EditorAction.End;
            case ConsoleKey.UpArrow:
                return EditorAction.Previous;
            case ConsoleKey.DownArrow:
                return EditorAction.Next;
        }
        return key.KeyChar switch
        {
            '\r' or '\n' => EditorAction.Accept,
            CtrlA => EditorAction.Home,
            CtrlB => EditorAction.Left,
            CtrlC => EditorAction.Interrupt,
            CtrlD => EditorAction.EndOfInputOrDelete,
            CtrlE => EditorAction.End,
            CtrlF => EditorAction.Right,
            CtrlH or Delete => EditorAction.DeleteBefore,
            CtrlK => EditorAction.KillToEnd,
            CtrlL => EditorAction.ClearScreen,
            CtrlN => EditorAction.Next,
            CtrlP => EditorAction.Previous,
            CtrlU => EditorAction.KillToStart,
            CtrlW => EditorAction.DeleteWord,
            var c when c != '\0' && !char.IsControl(c) => EditorAction.Insert,
            _ => EditorAction.Ignore,
        };
    }

    /// <summary>Redraws the prompt and the visible part of the line, then puts the cursor in place.</summary>
    private void Refresh(string prompt, LineBuffer line)
    {
        var text = line.Text;
        var columns = Math.Max(prompt.Length + 2, terminal.Width);
        var start = 0;
        var cursor = line.Cursor;
        var visible = text.Length;
        // Scroll right until the cursor fits, then cut what overflows on the right.
        while (prompt.Length + cursor >= columns)
        {
            start++;
            cursor--;
            visible--;
        }
        visible = Math.Min(visible, columns - prompt.Length);
        var screen = new StringBuilder("\r").Append(prompt).Append(text, start, visible).Append("\x1b[0K\r");
        if (prompt.Length + cursor > 0)
        {
            screen.Append("\x1b[").Append(prompt.Length + cursor).Append('C');
        }
        terminal.Write(screen.ToString());
    }

    private enum EditorAction
    {
        Ignore,
        Insert,
        Accept,
        Interrupt,
        EndOfInputOrDelete,
        DeleteAt,
        DeleteBefore,
        Left,
        Right,
        Home,
        End,
        KillToEnd,
        KillToStart,
        DeleteWord,
        Previous,
        Next,
        ClearScreen,
    }
}
