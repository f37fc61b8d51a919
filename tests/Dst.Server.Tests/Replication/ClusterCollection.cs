namespace Dst.Server.Tests.Replication;

/// <summary>
/// The multi-process cluster tests (replication, failover, Jepsen) run one at a time and never
/// beside each other: each starts 3-5 servers, and on a 2-core machine two such tests at once
/// would only measure the scheduler.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster processes";

}
