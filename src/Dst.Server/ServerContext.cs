using Dst.Commands;
using Dst.Protocol;
using Dst.Server.Blocking;
using Dst.Server.Info;
using Dst.Server.Logging;
using Dst.Server.Networking;
using Dst.Server.Options;
using Dst.Server.Pipeline;
using Dst.Server.PubSub;
using Dst.Server.ServerCommands;

namespace Dst.Server;

/// <summary>The services every connection shares: settings, log, counters, clients, the keyspace and the write path.</summary>
public sealed class ServerContext
{
    private volatile RequestParser _parser;

    public ServerContext(ServerOptions options, ServerLog log, StateMachine stateMachine, ICommandLog commandLog)
    {
        Options = options;
        Log = log;
        StateMachine = stateMachine;
        CommandLog = commandLog;
        ServerCommands = new ServerCommandRegistry(Commands);
        stateMachine.Modifications.Observer = Blocked;
        _parser = new RequestParser(LimitsFrom(options));
    }

    public ServerOptions Options { get; }

    public ServerLog Log { get; }

    public ServerStats Stats { get; } = new();

    public ClientRegistry Clients { get; } = new();

    public CommandTable Commands { get; } = CommandTable.Default;

    public ServerCommandRegistry ServerCommands { get; }

    public StateMachine StateMachine { get; }

    public ICommandLog CommandLog { get; }

    /// <summary>This node's membership of the data Raft group (host, transport, status).</summary>
    internal Replication.ReplicatedNode? Node { get; init; }

    /// <summary>Node-local pub/sub channels and patterns.</summary>
    public PubSubHub PubSub { get; } = new();

    /// <summary>Clients parked by blocking commands; woken by the apply path's key writes.</summary>
    public BlockedClients Blocked { get; } = new();

    /// <summary>The request parser for the current limits; replaced when CONFIG SET changes one.</summary>
    public RequestParser Parser => _parser;

    /// <summary>40 random hex characters, new for every start, as Redis's run_id.</summary>
    // Random.Shared, not RandomNumberGenerator: an id need not be secret, and the latter loads OpenSSL (about 5 MiB of RSS).
    public string RunId { get; } = Random.Shared.GetHexString(40, lowercase: true);

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Completes when SHUTDOWN (or a signal) asks the server to stop; the value is the exit code.</summary>
    public TaskCompletionSource<int> ShutdownRequested { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Called after CONFIG SET changed a protocol limit.</summary>
    public void RefreshProtocolLimits() => _parser = new RequestParser(LimitsFrom(Options));

    public static long NowUnixMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static ProtocolLimits LimitsFrom(ServerOptions options) => new()
    {
        MaxBulkLength = options.ProtoMaxBulkLen,
        MaxQueryBufferLength = options.ClientQueryBufferLimit,
    };
}
