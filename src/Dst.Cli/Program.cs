using Dst.Cli;
using Dst.Cli.Options;
using Dst.Cli.Output;
using Dst.Cli.Session;
using Dst.Cli.Terminal;

CliOptions options;
try
{
    options = CliOptionsParser.Parse(args);
}
catch (CliUsageException error)
{
    await Console.Error.WriteLineAsync(error.Message);
    return 1;
}
if (options.ShowHelp)
{
    await Console.Out.WriteAsync(UsageText.Build(CliVersion.Current));
    return 0;
}
if (options.ShowVersion)
{
    await Console.Out.WriteLineAsync($"dst-cli {CliVersion.Current}");
    return 0;
}

await using var session = new ServerSession(options);
await using var stdout = Console.OpenStandardOutput();
var output = new ReplyOutput(stdout, options.ResolveOutput(stdoutIsTerminal: !Console.IsOutputRedirected));
var runner = new CommandRunner(session, output, Console.Error);

if (options.Command.Count > 0)
{
    return await new BatchRunner(options, session, runner, Console.Error).RunArgumentsAsync();
}
if (Console.IsInputRedirected)
{
    return await new BatchRunner(options, session, runner, Console.Error).RunLinesAsync(Console.In);
}
var history = new History(History.DefaultPath());
history.Load();
var editor = new LineEditor(new SystemTerminal(), history);
return await new InteractiveShell(session, runner, editor, history, Console.Error).RunAsync();
