using Dst.Cli.Options;

namespace Dst.Cli.Session;

/// <summary>
/// The two non-interactive modes: a command given as arguments (run <c>-r</c> times, <c>-i</c>
/// seconds apart), and commands piped on stdin, one per line, with no prompt or line editor.
/// A server that cannot be reached ends the run with exit code 1; with <c>-e</c> an error reply does too.
/// </summary>
public sealed class BatchRunner(CliOptions options, ServerSession session, CommandRunner runner, TextWriter errors)
{
    public async Task<int> RunArgumentsAsync(CancellationToken cancellationToken = default)
    {
        if (await ConnectAsync(cancellationToken) is { } failed)
        {
            return failed;
        }
        byte[][] arguments = [.. options.Command.Select(System.Text.Encoding.UTF8.GetBytes)];
        for (var run = 0L; options.Repeat < 0 || run < options.Repeat; run++)
        {
            if (run > 0 && options.Interval > TimeSpan.Zero)
            {
                await Task.Delay(options.Interval, cancellationToken);
            }
            var outcome = await runner.RunAsync(arguments, cancellationToken);
            if (ExitCode(outcome) is { } code)
            {
                return code;
            }
        }
        return 0;
    }

    public async Task<int> RunLinesAsync(TextReader input, CancellationToken cancellationToken = default)
    {
        if (await ConnectAsync(cancellationToken) is { } failed)
        {
            return failed;
        }
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            var outcome = await runner.RunLineAsync(line, cancellationToken);
            if (outcome == CommandOutcome.Quit)
            {
                return 0;
            }
            if (ExitCode(outcome) is { } code)
            {
                return code;
            }
        }
        return 0;
    }

    private async Task<int?> ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            await session.EnsureConnectedAsync(cancellationToken);
            return null;
        }
        catch (ServerUnavailableException error)
        {
            await errors.WriteLineAsync(error.Message);
            return 1;
        }
    }

    /// <summary>The exit code that ends the run after this outcome, or null to go on.</summary>
    private int? ExitCode(CommandOutcome outcome) => outcome switch
    {
        CommandOutcome.Failed when !session.IsConnected => 1,
        CommandOutcome.ErrorReply when options.ExitCodeOnError => 1,
        _ => null,
    };
}
