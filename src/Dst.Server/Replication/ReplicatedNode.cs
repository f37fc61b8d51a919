using System.Net;
using System.Text;
using Dst.Cluster.Hosting;
using Dst.Cluster.Transport;
using Dst.Commands;
using Dst.Server.Logging;
using Dst.Server.Networking;
using Dst.Server.Options;
using Dst.Storage;

namespace Dst.Server.Replication;

/// <summary>
/// Everything that makes this process a member of the data Raft group: the group's storage under
/// <c>dir/groups/1</c>, the keyspace state machine, the Raft host and, when there are other members,
/// the node transport. A single node is the same group with one voter: it bootstraps alone and
/// campaigns at once; growing it is adding members, never a different mode.
/// </summary>
internal sealed class ReplicatedNode : IAsyncDisposable
{
    public const ulong DataGroupId = 1;

    /// <summary>
    /// Keeps the newest entries in memory for followers a little behind; 4 MB (not the log's 16 MB
    /// default) because a single node never reads them back and memory per key is a target.
    /// </summary>
    private static readonly SegmentedLogOptions LogOptions = SegmentedLogOptions.Default with
    {
        TailCacheBytes = 4L << 20,
        TailCacheEntries = 16 << 10,
    };

    private readonly ServerLog _log;
    private readonly NodeMembers _members;
    private readonly CancellationTokenSource _stopping = new();

    private ReplicatedNode(ServerLog log, NodeMembers members, RaftHost host, HostedGroup group, StateMachine stateMachine, NodeTransport? transport, ReplicatedCommandLog commandLog)
    {
        _log = log;
        _members = members;
        Host = host;
        Group = group;
        StateMachine = stateMachine;
        Transport = transport;
        CommandLog = commandLog;
    }

    public RaftHost Host { get; }

    public HostedGroup Group { get; }

    public StateMachine StateMachine { get; }

    public NodeTransport? Transport { get; }

    public ReplicatedCommandLog CommandLog { get; }

    public NodeAddress Self => _members.Self;

    public static string GroupDirectory(string dataDirectory) => Path.Combine(dataDirectory, "groups", DataGroupId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Opens (or founds) the group and starts replicating; peers' connections are served on
    /// <paramref name="loops"/>. Throws for bad options or unreadable storage.
    /// </summary>
    public static async Task<ReplicatedNode> StartAsync(ServerOptions options, ServerLog log, EventLoopGroup loops)
    {
        var members = NodeMembers.From(options);
        if (Directory.Exists(Path.Combine(options.Dir, "log")) && !Directory.Exists(GroupDirectory(options.Dir)))
        {
            throw new InvalidDataException($"{Path.GetFullPath(options.Dir)} holds data in the single-node layout of Dst before replication (log/ and snapshots/); move it away or start with another --dir");
        }
        var storage = DurableRaftStorage.Open(GroupDirectory(options.Dir), LogOptions);
        try
        {
            var stateMachine = new StateMachine(CommandTable.Default, options.Encodings);
            var addresses = new AddressBook();
            var fresh = storage.LastIndex == 0 && storage.SnapshotMetadata.Index == 0 && storage.HardState.IsEmpty;
            if (fresh && options.Join is null)
            {
                var founders = members.Founders.Count > 0 ? members.Founders : new Dictionary<ulong, NodeAddress> { [options.NodeId] = members.Self };
                foreach (var (id, address) in founders)
                {
                    addresses.Set(id, address);
                }
                storage.Bootstrap(SnapshotEnvelopeData(addresses), [.. founders.Keys.Order()]);
                log.Notice($"Founded Raft group {DataGroupId} with voters {string.Join(", ", founders.Keys.Order())}");
            }
            var hostLogger = new ServerLogLogger(log, "raft");
            var host = new RaftHost(HostOptions(options), hostLogger);
            NodeTransport? transport = null;
            if (options.ClusterSecret is not null)
            {
                transport = CreateTransport(options, members, host, log, loops);
                host.Transport = transport;
                addresses.Added += (id, address) => DialUnlessConfigured(transport, members, options.NodeId, id, address);
                host.MemberRemoved += id =>
                {
                    if (!members.Founders.ContainsKey(id))
                    {
                        transport.RemovePeer(id);
                    }
                };
            }
            var group = host.AddGroup(DataGroupId, storage, new KeyspaceMachine(stateMachine, log), addresses);
            if (transport is null && group.Raw.Raft.Tracker.Config.AllIds.Any(id => id != options.NodeId))
            {
                throw new FormatException("this node's group has other members: start it with --cluster-secret");
            }
            foreach (var (id, address) in addresses.All)
            {
                if (transport is not null)
                {
                    DialUnlessConfigured(transport, members, options.NodeId, id, address);
                }
            }
            var commandLog = new ReplicatedCommandLog(host, group, options, transport is null ? null : log);
            host.Start();
            if (transport is not null)
            {
                await transport.StartAsync().ConfigureAwait(false);
                log.Notice($"Cluster transport listening on {transport.LocalEndPoint} as node {options.NodeId}");
            }
            if (group.Raw.Raft.Tracker.IsSingleton && group.Raw.Raft.Tracker.IsVoter(options.NodeId))
            {
                // Alone, there is nobody to wait for: lead at once instead of after an election timeout,
                // and open to clients only once the log is replayed (as Redis loads before serving).
                host.Post(group.Raw.Campaign);
                await WaitUntilServingAsync(group, log).ConfigureAwait(false);
            }
            var node = new ReplicatedNode(log, members, host, group, stateMachine, transport, commandLog);
            if (fresh && options.Join is { } join)
            {
                _ = node.JoinAsync(join, options);
            }
            return node;
        }
        catch
        {
            storage.Dispose();
            throw;
        }
    }

    private static async Task WaitUntilServingAsync(HostedGroup group, ServerLog log)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!group.ServesLocalReads)
        {
            await Task.Delay(1).ConfigureAwait(false);
        }
        var status = group.Status;
        log.Notice($"Leading group {DataGroupId} alone: term {status.Term}, applied index {status.AppliedIndex}, snapshot index {status.SnapshotIndex} ({clock.ElapsedMilliseconds} ms)");
    }

    private static byte[] SnapshotEnvelopeData(AddressBook addresses) => SnapshotEnvelope.Wrap(addresses, []);

    private static RaftHostOptions HostOptions(ServerOptions options) => new()
    {
        NodeId = options.NodeId,
        // ServerOptions fields are single words CONFIG SET replaces; reading them each round is safe.
        Durability = () => new HostDurability(
            options.AppendFsync == AppendFsync.Always,
            options.AppendFsync == AppendFsync.EverySec ? TimeSpan.FromSeconds(1) : null,
            options.SnapshotEveryEntries,
            options.SnapshotMinLogSize),
        LeaseReads = options.ReadConsistency == ReadConsistency.Lease,
    };

    private static NodeTransport CreateTransport(ServerOptions options, NodeMembers members, RaftHost host, ServerLog log, EventLoopGroup loops)
    {
        var bind = options.Bind.Count > 0 ? options.Bind[0] : "127.0.0.1";
        var address = bind is "*" ? IPAddress.Any : bind is "::*" ? IPAddress.IPv6Any : IPAddress.Parse(bind);
        var transportOptions = new NodeTransportOptions
        {
            NodeId = options.NodeId,
            ListenEndPoint = new IPEndPoint(address, members.Self.ClusterPort),
            ClusterSecret = Encoding.UTF8.GetBytes(options.ClusterSecret ?? throw new FormatException("a cluster needs --cluster-secret")),
            ServeInbound = socket => new LoopPeerStream(new LoopSocket(socket, loops.Next())),
        };
        var transport = new NodeTransport(transportOptions, host, new ServerLogLogger(log, "transport"));
        foreach (var (id, founder) in members.Founders)
        {
            if (id != options.NodeId)
            {
                transport.AddPeer(id, EndPointOf(founder.Host, founder.ClusterPort));
            }
        }
        return transport;
    }

    /// <summary>Founders are dialled where --peers says (a test may route them through a proxy); members added later at their announced address.</summary>
    private static void DialUnlessConfigured(NodeTransport transport, NodeMembers members, ulong self, ulong id, NodeAddress address)
    {
        if (id != self && !members.Founders.ContainsKey(id))
        {
            transport.AddPeer(id, EndPointOf(address.Host, address.ClusterPort));
        }
    }

    private static EndPoint EndPointOf(string host, int port) =>
        IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);

    /// <summary>Asks the member at <paramref name="join"/> to add this node, until one accepts.</summary>
    private async Task JoinAsync(string join, ServerOptions options)
    {
        if (!NodeAddress.TryParse(join, out var target, out var error))
        {
            _log.Warning($"--join {join}: {error}");
            return;
        }
        var request = new List<string> { "CLUSTER", "ADDNODE", options.NodeId.ToString(System.Globalization.CultureInfo.InvariantCulture), Self.ToString() };
        for (var attempt = 1; !_stopping.IsCancellationRequested; attempt++)
        {
            // Learn where the members are first: the leader's first appends need answers before any
            // snapshot could tell this node the membership's addresses.
            await DialMembersAsync(target, options).ConfigureAwait(false);
            var reply = await AdminClient.TryExecuteAsync(target.Host, target.Port, options.RequirePass, request, _stopping.Token).ConfigureAwait(false);
            if (reply is not null && (!reply.IsError || reply.GetString()!.Contains("already a member", StringComparison.Ordinal)))
            {
                _log.Notice($"Joined through {target.ClientEndPoint}: {reply.GetString()}; catching up as a learner");
                return;
            }
            _log.Verbose($"Join attempt {attempt} through {target.ClientEndPoint}: {reply?.GetString() ?? "no connection"}");
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * attempt)), _stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <summary>Adds every member CLUSTER NODES at <paramref name="target"/> lists to the transport.</summary>
    private async Task DialMembersAsync(NodeAddress target, ServerOptions options)
    {
        var nodes = await AdminClient.TryExecuteAsync(target.Host, target.Port, options.RequirePass, ["CLUSTER", "NODES"], _stopping.Token).ConfigureAwait(false);
        if (nodes is null || nodes.IsError || Transport is null)
        {
            return;
        }
        foreach (var line in nodes.GetString()!.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ');
            if (fields.Length > 1 && ulong.TryParse(fields[0], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var id)
                && id != options.NodeId && NodeAddress.TryParse(fields[1], out var address, out _))
            {
                Transport.AddPeer(id, EndPointOf(address.Host, address.ClusterPort));
            }
        }
    }

    /// <summary>
    /// Before a leader stops: hands leadership to the most caught-up voter and waits (up to the
    /// election timeout) until it leads, so clients see a planned stop as a blip, not an election.
    /// </summary>
    public async Task HandOffLeadershipAsync()
    {
        var status = Group.Status;
        if (!status.IsLeader)
        {
            return;
        }
        var successor = status.Peers.Where(peer => peer.IsVoter && peer.RecentActive).OrderByDescending(peer => peer.Match).FirstOrDefault();
        if (successor.NodeId == 0)
        {
            return;
        }
        _log.Notice($"Handing leadership to node {successor.NodeId} before stopping");
        Host.Post(() => Group.Raw.TransferLeader(successor.NodeId));
        var deadline = DateTime.UtcNow + (Host.Options.TickInterval * Host.Options.ElectionTicks * 2);
        while (Group.Status.IsLeader && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5).ConfigureAwait(false);
        }
        // Let the new leader's first heartbeats reach the others before this node goes quiet.
        await Task.Delay(Host.Options.TickInterval).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        CommandLog.Forwarder?.Close();
        Host.Dispose();
        if (Transport is not null)
        {
            await Transport.DisposeAsync().ConfigureAwait(false);
        }
        Group.Storage.Dispose();
        _stopping.Dispose();
    }
}
