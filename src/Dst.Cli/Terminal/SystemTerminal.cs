namespace Dst.Cli.Terminal;

/// <summary>
/// The process's console. Ctrl-C is a key only while the editor waits for one, so it ends the
/// session cleanly there; while a command runs (a blocking BLPOP) it interrupts the process, as in redis-cli.
/// </summary>
public sealed class SystemTerminal : ITerminal
{
    private const int FallbackWidth = 80;

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

    public ConsoleKeyInfo ReadKey()
    {
        Console.TreatControlCAsInput = true;
        try
        {
            return Console.ReadKey(intercept: true);
        }
        finally
        {
            Console.TreatControlCAsInput = false;
        }
    }

    public void Write(string text)
    {
        Console.Out.Write(text);
        Console.Out.Flush();
    }
}
