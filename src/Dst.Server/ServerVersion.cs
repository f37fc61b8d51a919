using System.Reflection;

namespace Dst.Server;

/// <summary>Version strings: our own, and the Redis version we report so that clients enable the features we implement.</summary>
public static class ServerVersion
{
    /// <summary>What INFO's redis_version and HELLO's version say; clients gate features on it.</summary>
    public const string RedisCompatible = "7.2.0";

    public static readonly string Dst =
        typeof(ServerVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
