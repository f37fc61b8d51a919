using System.Diagnostics;

namespace Dst.Cli.Tests.EndToEnd;

/// <summary>Starts one of the test output folder's programs (dst-server.dll, dst-cli.dll) with the dotnet host running the tests.</summary>
internal static class DotnetProcess
{
    public static ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, program));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }
}
