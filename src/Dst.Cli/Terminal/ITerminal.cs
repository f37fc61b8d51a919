namespace Dst.Cli.Terminal;

/// <summary>The keyboard and screen the line editor talks to.</summary>
public interface ITerminal
{
    /// <summary>The next key, not echoed.</summary>
    ConsoleKeyInfo ReadKey();

    void Write(string text);

    /// <summary>Columns of the screen.</summary>
    int Width { get; }
}
