using Dst.Cli;
using Dst.Cli.Options;

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
// Interim: the session (connect, run, print) lands with the RESP client in the next commit.
await Console.Error.WriteLineAsync("dst-cli: sessions are not available in this build yet");
return 2;
