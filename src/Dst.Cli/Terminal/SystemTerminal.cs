namespace Dst.Cli.Terminal;

/// <summary>The process's console. Ctrl-C arrives as a key while the editor reads, so it can end the session cleanly.</summary>
public sealed class SystemTerminal : ITerminal
{
    private const int FallbackWidth = 80;

    public SystemTerminal()
    {
        Console.TreatControlCAsInput = true;
    }

    public int Width
    {
        get
        {
            try
            {
                return Console.WindowWidth > 0 ? Console.WindowWidth : FallbackWidth;
            }
            catch (IOException)
            {
                return FallbackWidth;
            }
        }
    }

    public ConsoleKeyInfo ReadKey() => Console.ReadKey(intercept: true);

    public void Write(string text)
    {
        Console.Out.Write(text);
        Console.Out.Flush();
    }
}
