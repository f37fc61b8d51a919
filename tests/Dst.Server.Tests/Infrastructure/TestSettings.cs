using System.Globalization;

namespace Dst.Server.Tests.Infrastructure;

/// <summary>
/// Knobs for the long randomized tests: bounded defaults for CI, environment variables to run
/// longer or to replay a seed.
/// </summary>
public static class TestSettings
{
    public static int Integer(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;

    /// <summary>The seed in <paramref name="variable"/> when set (a replay), otherwise a fresh one.</summary>
    public static int Seed(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : Random.Shared.Next();
}
