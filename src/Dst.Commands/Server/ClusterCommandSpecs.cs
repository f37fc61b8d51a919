using static Dst.Commands.CommandFlags;

namespace Dst.Commands.Server;

/// <summary>
/// Replication and cluster commands, answered by the server from the Raft group's state: Redis's
/// CLUSTER, ROLE, WAIT, READONLY and READWRITE, Dst's DST.SESSION (exactly-once writes), and the
/// internal DST.PROPOSE a follower forwards writes to the leader with.
/// </summary>
public static class ClusterCommandSpecs
{
    private const string Cluster = "cluster";

    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        Spec("cluster", -2, Loading | Stale, "A container for Redis Cluster commands; Dst adds ADDNODE, REMOVENODE and TRANSFERLEADER.", "3.0.0", "Depends on subcommand.") with { Syntax = "subcommand{myid:MYID|info:INFO|nodes:NODES|slots:SLOTS|shards:SHARDS|KEYSLOT key:string|ADDNODE addnode(node-id:integer address:string)|REMOVENODE node-id:integer|TRANSFERLEADER node-id:integer|failover:FAILOVER|help:HELP}" },
        Spec("role", 1, Fast | Loading | Stale, "Returns the replication role.", "2.8.12", "O(1)"),
        Spec("wait", 3, 0, "Blocks until the asynchronous replication of all preceding write commands sent by the connection is completed.", "3.0.0", "O(1)") with { Syntax = "numreplicas:integer timeout:integer" },
        Spec("readonly", 1, Fast | Loading | Stale, "Enables read-only queries for a connection to a Redis Cluster replica node.", "3.0.0", "O(1)"),
        Spec("readwrite", 1, Fast | Loading | Stale, "Enables read-write queries for a connection to a Redis Cluster replica node.", "3.0.0", "O(1)"),
        Spec("dst.session", -2, Fast | Loading | Stale, "Numbers this connection's writes in an exactly-once session: NEW starts one, RESUME continues one on a new connection, INFO and END.", "0.1.0", "O(1)") with { Syntax = "subcommand{new:NEW|RESUME resume(session-id:integer sequence:integer)|info:INFO|end:END}" },
        Spec("dst.propose", 3, Admin, "Internal: a follower forwarding an encoded write entry to the leader.", "0.1.0", "O(1) plus the command's own cost") with { Syntax = "resp-version:integer entry:string" },
    ];

    private static CommandSpec Spec(string name, int arity, CommandFlags flags, string summary, string since, string complexity) =>
        new(name, arity, flags | CommandFlags.Server, 0, 0, 0, Cluster, summary, since, Handler: null, complexity);
}
