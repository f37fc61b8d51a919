using System.Text;

namespace Dst.Cli.Terminal;

/// <summary>The line being edited and the cursor in it; every editing key is one method here.</summary>
public sealed class LineBuffer
{
    private readonly StringBuilder _text = new();

    public int Cursor { get; private set; }

    public int Length => _text.Length;

    public string Text => _text.ToString();

    public void Insert(char c)
    {
        _text.Insert(Cursor, c);
        Cursor++;
    }

    /// <summary>Backspace: deletes the character before the cursor.</summary>
    public void DeleteBefore()
    {
        if (Cursor > 0)
        {
            _text.Remove(--Cursor, 1);
        }
    }

    /// <summary>Delete: deletes the character under the cursor.</summary>
    public void DeleteAt()
    {
        if (Cursor < _text.Length)
        {
            _text.Remove(Cursor, 1);
        }
    }

    public void MoveLeft() => Cursor = Math.Max(0, Cursor - 1);

    public void MoveRight() => Cursor = Math.Min(_text.Length, Cursor + 1);

    public void MoveHome() => Cursor = 0;

    public void MoveEnd() => Cursor = _text.Length;

    /// <summary>Ctrl-K: deletes from the cursor to the end of the line.</summary>
    public void KillToEnd() => _text.Length = Cursor;

    /// <summary>Ctrl-U: deletes from the start of the line to the cursor.</summary>
    public void KillToStart()
    {
        _text.Remove(0, Cursor);
        Cursor = 0;
    }

    /// <summary>Ctrl-W: deletes the word before the cursor and the blanks after it.</summary>
    public void DeleteWordBefore()
    {
        var start = Cursor;
        while (start > 0 && _text[start - 1] == ' ')
        {
            start--;
        }
        while (start > 0 && _text[start - 1] != ' ')
        {
            start--;
        }
        _text.Remove(start, Cursor - start);
        Cursor = start;
    }

    /// <summary>Shows another line (from history) with the cursor at its end.</summary>
    public void Replace(string text)
    {
        _text.Clear().Append(text);
        Cursor = _text.Length;
    }
}
