namespace Dst.Testing.Processes;

/// <summary>
/// How to start a <see cref="ServerProcess"/>. <see cref="Port"/> fixed keeps the client port across
/// restarts (cluster peers and reconnecting clients name it); left null, every run takes a fresh
/// free port, so a restart never races another process for the old one.
/// </summary>
public sealed record ServerStart
{
    /// <summary>Options passed before the <c>--port</c>, <c>--bind</c> and <c>--dir</c> the harness adds.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Text of a config file passed as the first argument, as <c>redis-server /path/redis.conf --port ...</c> takes it.</summary>
    public string? ConfigFile { get; init; }

    public int? Port { get; init; }

    /// <summary>Prefixes the marks in <see cref="ServerProcess.Output"/> (e.g. "node 2") when several servers print into one report.</summary>
    public string Name { get; init; } = "dst-server";
}
