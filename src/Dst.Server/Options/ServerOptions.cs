namespace Dst.Server.Options;

/// <summary>
/// Every setting of a running server. Fields that CONFIG SET may change are read by other threads
/// without a lock: each is a single aligned word, so a reader sees either the old or the new value.
/// </summary>
public sealed class ServerOptions
{
    public const int DefaultPort = 6380;

    public int Port { get; set; } = DefaultPort;

    public IReadOnlyList<string> Bind { get; set; } = ["127.0.0.1"];

    public string Dir { get; set; } = "./dst-data";

    /// <summary>The default user's password; null means no password (and protected mode applies).</summary>
    public string? RequirePass { get; set; }

    public AppendFsync AppendFsync { get; set; } = AppendFsync.Always;

    public int MaxClients { get; set; } = 10_000;

    /// <summary>
    /// Client event loop threads (<c>io-threads</c>); each serves its share of the connections. A quarter
    /// of the processors: the Raft loop, the log's fsyncs and the clients themselves need the rest.
    /// </summary>
    public int IoThreads { get; set; } = Math.Max(1, Environment.ProcessorCount / 4);

    public bool ProtectedMode { get; set; } = true;

    public long ProtoMaxBulkLen { get; set; } = 512L * 1024 * 1024;

    public long ClientQueryBufferLimit { get; set; } = 1024L * 1024 * 1024;

    /// <summary>
    /// The compact-encoding thresholds (hash-max-listpack-entries, ...) given at start-up: the state
    /// machine's initial ones. Every replica must convert at the same sizes, so CONFIG SET changes them
    /// through the log, and the applied values live in <see cref="Commands.StateMachine.Options"/>.
    /// </summary>
    public Commands.StateMachineOptions Encodings { get; set; } = Commands.StateMachineOptions.Default;

    /// <summary>Take a snapshot after this many log entries since the last one; 0 turns the policy off.</summary>
    public long SnapshotEveryEntries { get; set; } = 100_000;

    /// <summary>... and only once the log since the last snapshot holds this many bytes, and as many as that snapshot.</summary>
    public long SnapshotMinLogSize { get; set; } = 64L * 1024 * 1024;

    public LogLevel LogLevel { get; set; } = LogLevel.Notice;

    /// <summary>Where the log goes; empty means standard output.</summary>
    public string LogFile { get; set; } = "";

    /// <summary>The config file the server was started with, if any (INFO server shows it).</summary>
    public string? ConfigFile { get; set; }

    /// <summary>This node's id in the cluster (non-zero).</summary>
    public ulong NodeId { get; set; } = 1;

    /// <summary>The node-to-node port; 0 means the client port + 10000.</summary>
    public int ClusterPort { get; set; }

    /// <summary>The founding members (this node included) as <c>id@host:port[@cport]</c>; empty: a one-voter group.</summary>
    public IReadOnlyList<string> Peers { get; set; } = [];

    /// <summary>The shared secret nodes authenticate each other with; required with peers or join.</summary>
    public string? ClusterSecret { get; set; }

    /// <summary>A member's client address to ask for admission (start empty, join as a learner).</summary>
    public string? Join { get; set; }

    /// <summary>The host other nodes and clients reach this node at (MOVED, ROLE, CLUSTER NODES); default the first bind address.</summary>
    public string? AnnounceHost { get; set; }

    public ReadConsistency ReadConsistency { get; set; } = ReadConsistency.Linearizable;

    public Routing Routing { get; set; } = Routing.Proxy;

    /// <summary>Start this many local nodes as child processes (a development cluster); 0: run one node.</summary>
    public int DevCluster { get; set; }

    /// <summary>A copy to validate CONFIG SET values on before they touch the live settings.</summary>
    public ServerOptions Copy() => (ServerOptions)MemberwiseClone();
}
