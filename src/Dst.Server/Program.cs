using Dst.Server;
using Dst.Server.Options;

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
