using Dst.Server;
using Dst.Server.Options;

// Run socket completions on the epoll thread instead of hopping to the thread pool: a request is then
// parsed, executed and answered on the thread that saw it arrive, as in an event-loop server. This
// measured 30-60% more GETs per second with redis-benchmark -P 1; set the variable to 0 to opt out.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

var parsed = OptionsParser.Parse(args);
if (parsed.ShowHelp)
{
    Console.Write(HelpText.Build());
    return 0;
}
if (parsed.ShowVersion)
{
    Console.WriteLine($"dst-server v={ServerVersion.Dst} redis-compatible={ServerVersion.RedisCompatible} runtime={System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
    return 0;
}
if (parsed.Error is not null)
{
    Console.Error.WriteLine($"dst-server: {parsed.Error}");
    return 1;
}
return await ServerHost.RunAsync(parsed.Options!);
