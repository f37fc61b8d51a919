using Dst.Cli.Parsing;
using Dst.Cli.Terminal;

namespace Dst.Cli.Session;

/// <summary>
/// The prompt: <c>127.0.0.1:6380&gt; </c> while connected, <c>not connected&gt; </c> after the server
/// went away (the next command tries to connect again). Lines are read with the line editor, kept
/// in the history (except those carrying a password) and run until quit, exit, ctrl-d or ctrl-c.
/// </summary>
public sealed class InteractiveShell(ServerSession session, CommandRunner runner, LineEditor editor, History history, TextWriter errors)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await session.EnsureConnectedAsync(cancellationToken);
        }
        catch (ServerUnavailableException error)
        {
            await errors.WriteLineAsync(error.Message);
        }
        while (true)
        {
            var prompt = session.IsConnected ? $"{session.Endpoint}> " : "not connected> ";
            var line = editor.ReadLine(prompt);
            if (line is null)
            {
                return 0;
            }
            RememberUnlessSensitive(line);
            if (await runner.RunLineAsync(line, cancellationToken) == CommandOutcome.Quit)
            {
                return 0;
            }
        }
    }

    private void RememberUnlessSensitive(string line)
    {
        try
        {
            if (SensitiveCommands.Contains(CommandLineParser.Parse(line)))
            {
                return;
            }
        }
        catch (CommandLineSyntaxException)
        {
            // Kept, so the user can recall the line and fix it.
        }
        history.Add(line);
    }
}
