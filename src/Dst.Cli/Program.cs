using Dst.Cli;
using Dst.Cli.Cluster;
using Dst.Cli.Options;
using Dst.Cli.Output;
using Dst.Cli.Session;
using Dst.Cli.Terminal;

CliOptions options;
(CliOptions Options, ClusterRequest? Request)? cluster = null;
try
{
    options = CliOptionsParser.Parse(args);
    if (options.Cluster is { } clusterWords && !options.ShowHelp && !options.ShowVersion)
    {
        cluster = ClusterCommandLine.Parse(options, clusterWords);
    }
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

if (cluster is ({ } clusterOptions, var request))
{
    if (request is null)
    {
        await Console.Out.WriteLineAsync(UsageText.Cluster);
        return 0;
    }
    var clusterOutput = new ClusterOutput(Console.Out, Console.Error, json: clusterOptions.Output == OutputFormat.Json);
    return await new ClusterAdmin(clusterOptions, clusterOutput).RunAsync(request);
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
