using System.Text;
using Dst.Cli.Terminal;

namespace Dst.Cli.Tests.Terminal;

/// <summary>A terminal whose keys are a script and whose screen output is recorded.</summary>
internal sealed class ScriptedTerminal(int width = 80) : ITerminal
{
    private readonly Queue<ConsoleKeyInfo> _keys = new();
    private readonly StringBuilder _screen = new();

    public int Width { get; } = width;

    public string Screen => _screen.ToString();

    public ScriptedTerminal Type(string text)
    {
        foreach (var c in text)
        {
            _keys.Enqueue(new ConsoleKeyInfo(c, ConsoleKey.NoName, false, false, false));
        }
        return this;
    }

    public ScriptedTerminal Press(ConsoleKey key)
    {
        var c = key == ConsoleKey.Enter ? '\r' : '\0';
        _keys.Enqueue(new ConsoleKeyInfo(c, key, false, false, false));
        return this;
    }

    /// <summary>Ctrl plus a letter, as the console reports it: the control character and the letter's key.</summary>
    public ScriptedTerminal Ctrl(char letter)
    {
        var upper = char.ToUpperInvariant(letter);
        _keys.Enqueue(new ConsoleKeyInfo((char)(upper - '@'), (ConsoleKey)upper, false, false, true));
        return this;
    }

    public ConsoleKeyInfo ReadKey() =>
        _keys.TryDequeue(out var key) ? key : throw new InvalidOperationException("the script ran out of keys");

    public void Write(string text) => _screen.Append(text);
}
