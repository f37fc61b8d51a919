using System.Text;
using Dst.Cli.Help;
using Dst.Cli.Output;
using Dst.Cli.Parsing;

namespace Dst.Cli.Session;

/// <summary>
/// Runs one command for every mode: answers <c>help</c> (and <c>quit</c>/<c>exit</c> for typed lines)
/// locally, sends anything else to the server and prints the reply. Problems are printed to
/// <paramref name="errors"/>, never thrown, so a session survives bad input and dropped connections.
/// </summary>
public sealed class CommandRunner(ServerSession session, ReplyOutput output, TextWriter errors)
{
    /// <summary>Parses and runs one typed line (interactive or piped).</summary>
    public async Task<CommandOutcome> RunLineAsync(string line, CancellationToken cancellationToken = default)
    {
        List<byte[]> arguments;
        try
        {
            arguments = CommandLineParser.Parse(line);
        }
        catch (CommandLineSyntaxException error)
        {
            await errors.WriteLineAsync(error.Message);
            return CommandOutcome.Failed;
        }
        if (arguments.Count == 0)
        {
            return CommandOutcome.Replied;
        }
        if (Is(arguments[0], "quit") || Is(arguments[0], "exit"))
        {
            return CommandOutcome.Quit;
        }
        return await RunAsync(arguments, cancellationToken);
    }

    /// <summary>Runs one command whose arguments are already split (given on the command line).</summary>
    public async Task<CommandOutcome> RunAsync(IReadOnlyList<byte[]> arguments, CancellationToken cancellationToken = default)
    {
        try
        {
            if (Is(arguments[0], "help") || Is(arguments[0], "?"))
            {
                await PrintHelpAsync(arguments, cancellationToken);
                return CommandOutcome.Replied;
            }
            var reply = await session.ExecuteAsync(arguments, cancellationToken);
            output.WriteReply(reply, arguments);
            return reply.IsError ? CommandOutcome.ErrorReply : CommandOutcome.Replied;
        }
        catch (ServerUnavailableException error)
        {
            await errors.WriteLineAsync(error.Message);
            return CommandOutcome.Failed;
        }
    }

    private async Task PrintHelpAsync(IReadOnlyList<byte[]> arguments, CancellationToken cancellationToken)
    {
        if (arguments.Count == 1)
        {
            output.WriteLine(HelpText.General(CliVersion.Current));
            return;
        }
        var name = Encoding.UTF8.GetString(arguments[1]);
        var reply = await session.ExecuteAsync([Encoding.UTF8.GetBytes("COMMAND"), Encoding.UTF8.GetBytes("DOCS"), arguments[1]], cancellationToken);
        if (reply.IsError)
        {
            output.WriteLine($"No help for '{name}': the server answered COMMAND DOCS with {reply.GetString()}");
            return;
        }
        var docs = CommandDoc.FromReply(reply);
        if (docs.Count == 0)
        {
            output.WriteLine($"No help for '{name}': the server does not know this command.");
            return;
        }
        foreach (var doc in docs)
        {
            output.WriteLine(HelpText.For(doc));
        }
    }

    private static bool Is(byte[] argument, string word) => Ascii.EqualsIgnoreCase(argument, word);
}
