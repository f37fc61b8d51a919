namespace Dst.Testing.Processes;

public sealed record ClusterOptions
{
    public int Nodes { get; init; } = 3;

    /// <summary>Options every node gets besides the cluster ones (e.g. <c>--routing redirect</c>).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>
    /// Put a <see cref="Network.FaultProxy"/> on every directed link between founding members, so
    /// the test can partition them. Nodes added later are dialled directly.
    /// </summary>
    public bool FaultProxies { get; init; } = true;
}
