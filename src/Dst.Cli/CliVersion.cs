using System.Reflection;

namespace Dst.Cli;

public static class CliVersion
{
    /// <summary>The version in the project file (shown by --version and --help).</summary>
    public static string Current { get; } =
        typeof(CliVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
