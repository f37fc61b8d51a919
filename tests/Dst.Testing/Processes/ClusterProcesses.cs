using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dst.Client;
using Dst.Protocol;
using Dst.Testing.Network;
using Dst.Testing.Resp;

namespace Dst.Testing.Processes;

/// <summary>
/// N real <c>dst-server</c> processes on loopback forming one Raft group, per the cluster contract:
/// each gets <c>--node-id</c>, its own <c>--dir</c>, <c>--cluster-port</c>, a shared
/// <c>--cluster-secret</c> and <c>--peers</c> listing every founding member, where node i's view of
/// node j's cluster port is the port of the <see cref="FaultProxy"/> for the link i→j. The test can
/// then kill -9, pause, restart, partition, remove and add nodes, and ask who leads.
/// </summary>
public sealed class ClusterProcesses : IAsyncDisposable
{
    /// <summary>A reply to one probe (ROLE, INFO) must come within this; a paused or partitioned node does not answer.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly List<ClusterNode> _nodes = [];
    private readonly Dictionary<(ulong From, ulong To), FaultProxy> _links = [];
    private readonly ClusterOptions _options;
    private readonly string _secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private ClusterProcesses(ClusterOptions options) => _options = options;

    public IReadOnlyList<ClusterNode> Nodes => _nodes;

    public IEnumerable<ClusterNode> Members => _nodes.Where(node => node.IsMember);

    public static async Task<ClusterProcesses> StartAsync(ClusterOptions options)
    {
        var cluster = new ClusterProcesses(options);
        try
        {
            await cluster.LaunchFoundersAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public ClusterNode Node(ulong id) => _nodes.Single(node => node.Id == id);

    /// <summary>The proxy node <paramref name="from"/> dials to reach node <paramref name="to"/>.</summary>
    public FaultProxy Link(ulong from, ulong to) => _links[(from, to)];

    public IEnumerable<FaultProxy> Links => _links.Values;

    /// <summary>Cuts every link between nodes on different sides (both directions); nodes not named form one more side.</summary>
    public void Partition(params IReadOnlyCollection<ulong>[] sides)
    {
        ulong SideOf(ulong id)
        {
            for (var i = 0; i < sides.Length; i++)
            {
                if (sides[i].Contains(id))
                {
                    return (ulong)i;
                }
            }
            return ulong.MaxValue;
        }
        foreach (var ((from, to), proxy) in _links)
        {
            if (SideOf(from) != SideOf(to))
            {
                proxy.Drop();
            }
            else
            {
                proxy.Pass();
            }
        }
    }

    /// <summary>Every link passes again.</summary>
    public void Heal()
    {
        foreach (var proxy in _links.Values)
        {
            proxy.Pass();
        }
    }

    public Task KillAsync(ulong id) => Node(id).Process.KillAsync();

    public void Pause(ulong id) => Node(id).Process.Pause();

    public void Resume(ulong id) => Node(id).Process.Resume();

    /// <summary>Starts a stopped node again with the options it had (a crash and reboot).</summary>
    public Task RestartAsync(ulong id) => Node(id).Process.RestartAsync();

    /// <summary>A client connection to one node.</summary>
    public Task<RespConnection> ConnectAsync(ulong id) => Node(id).Process.ConnectAsync();

    /// <summary>
    /// The node a majority of the members agree leads: it answers <c>ROLE</c> with <c>master</c> and
    /// enough followers answer <c>slave</c> with its port to make a majority with it. Null while that
    /// is not so (an election, a deposed leader that has not noticed yet).
    /// </summary>
    public async Task<ClusterNode?> LeaderAsync()
    {
        var up = Members.Where(node => node.IsUp).ToArray();
        var roles = await Task.WhenAll(up.Select(ProbeRoleAsync));
        var views = up.Zip(roles).Where(pair => pair.Second is not null).Select(pair => (Node: pair.First, Role: pair.Second!)).ToArray();
        foreach (var (candidate, role) in views.Where(view => view.Role.Count > 0 && view.Role[0] == "master"))
        {
            var followers = views.Count(view => view.Role.Count >= 3 && view.Role[0] == "slave" && view.Role[2] == candidate.Port.ToString(CultureInfo.InvariantCulture));
            if (followers + 1 > Members.Count() / 2)
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>True when every member is up and answers ROLE as a follower of <paramref name="leader"/>, connected.</summary>
    public async Task<bool> AllMembersFollowAsync(ClusterNode leader)
    {
        var members = Members.Where(node => node != leader).ToArray();
        if (members.Any(node => !node.IsUp))
        {
            return false;
        }
        var roles = await Task.WhenAll(members.Select(ProbeRoleAsync));
        var port = leader.Port.ToString(CultureInfo.InvariantCulture);
        return roles.All(role => role is { Count: >= 4 } && role[0] == "slave" && role[2] == port && role[3] == "connected");
    }

    /// <summary>Waits until <see cref="LeaderAsync"/> names a leader (optionally one that is not <paramref name="except"/>).</summary>
    public async Task<ClusterNode> WaitForLeaderAsync(TimeSpan? deadline = null, ulong? except = null)
    {
        ClusterNode? leader = null;
        try
        {
            await Eventually.UntilAsync(
                async () => (leader = await LeaderAsync()) is not null && leader.Id != except,
                $"a leader{(except is null ? "" : $" other than node {except}")} agreed by a majority",
                deadline);
        }
        catch (TimeoutException e)
        {
            // The nodes' own words say why (no quorum, handshake refused, crashed).
            throw new TimeoutException($"{e.Message}\n{Output()}", e);
        }
        return leader!;
    }

    /// <summary>
    /// <c>ROLE</c> of one node, flattened to strings (<c>master offset ...</c> or
    /// <c>slave host port state offset</c>), or null when it does not answer within
    /// <see cref="ProbeTimeout"/> (paused, cut off, starting).
    /// </summary>
    public static async Task<IReadOnlyList<string>?> ProbeRoleAsync(ClusterNode node)
    {
        try
        {
            using var deadline = new CancellationTokenSource(ProbeTimeout);
            await using var connection = await RespConnection.ConnectAsync("127.0.0.1", node.Port, deadline.Token);
            var reply = await connection.ExecuteAsync(["ROLE"], deadline.Token);
            return reply.Type == RespType.Array ? [.. reply.Items.Select(item => item.Type == RespType.Integer ? item.Integer.ToString(CultureInfo.InvariantCulture) : item.GetString() ?? "")] : null;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary><c>INFO replication</c> of one node as key/value pairs, or null when it does not answer within <see cref="ProbeTimeout"/>.</summary>
    public static async Task<IReadOnlyDictionary<string, string>?> ProbeReplicationAsync(ClusterNode node)
    {
        try
        {
            using var deadline = new CancellationTokenSource(ProbeTimeout);
            await using var connection = await RespConnection.ConnectAsync("127.0.0.1", node.Port, deadline.Token);
            var reply = await connection.ExecuteAsync(["INFO", "replication"], deadline.Token);
            return reply.Type is RespType.BulkString or RespType.VerbatimString ? ParseInfo(reply.GetString()!) : null;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>INFO's <c>key:value</c> lines (sections and blank lines skipped).</summary>
    public static IReadOnlyDictionary<string, string> ParseInfo(string info)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in info.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (!line.StartsWith('#') && colon > 0)
            {
                fields[line[..colon]] = line[(colon + 1)..];
            }
        }
        return fields;
    }

    /// <summary>
    /// Removes a member through any live node (<c>CLUSTER REMOVENODE</c>, forwarded to the leader)
    /// and returns the reply.
    /// </summary>
    public async Task<RespValue> RemoveNodeAsync(ulong id)
    {
        var via = Members.First(node => node.IsUp && node.Id != id);
        await using var connection = await via.Process.ConnectAsync();
        var reply = await connection.RunAsync("CLUSTER", "REMOVENODE", id.ToString(CultureInfo.InvariantCulture));
        if (!reply.IsError)
        {
            Node(id).IsMember = false;
        }
        return reply;
    }

    /// <summary>
    /// Starts a node that joins with <c>--join</c> through a live member. With <paramref name="id"/>
    /// of a removed node, that node's process is started again on its (wiped, unless
    /// <paramref name="wipe"/> is false) directory; otherwise a new node with the next id. Peers dial
    /// it at its own cluster port (no proxy: the address it announces is one for all of them).
    /// </summary>
    public async Task<ClusterNode> JoinAsync(ulong? id = null, bool wipe = true)
    {
        var via = Members.First(node => node.IsUp);
        ClusterNode node;
        if (id is { } existing)
        {
            node = Node(existing);
            await node.Process.KillAsync();
            if (wipe)
            {
                node.Process.WipeData();
            }
        }
        else
        {
            var newId = _nodes.Max(n => n.Id) + 1;
            var process = await ServerProcess.CreateAsync(new ServerStart { Port = FreePort.Next(), Name = $"node {newId}" });
            node = new ClusterNode(newId, FreePort.Next(), process);
            _nodes.Add(node);
        }
        await node.Process.RestartAsync([.. NodeArguments(node), "--join", $"127.0.0.1:{via.Port}"]);
        node.IsMember = true;
        return node;
    }

    /// <summary>Everything every node printed, node by node, for failure messages.</summary>
    public string Output()
    {
        var text = new StringBuilder();
        foreach (var node in _nodes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"===== {node}").AppendLine(node.Process.Output);
        }
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_nodes.Select(async node =>
        {
            if (node.Process.IsPaused)
            {
                node.Process.Resume();
            }
            await node.Process.DisposeAsync();
        }));
        foreach (var proxy in _links.Values)
        {
            await proxy.DisposeAsync();
        }
    }

    private async Task LaunchFoundersAsync()
    {
        for (var id = 1UL; id <= (ulong)_options.Nodes; id++)
        {
            var process = await ServerProcess.CreateAsync(new ServerStart { Port = FreePort.Next(), Name = $"node {id}" });
            _nodes.Add(new ClusterNode(id, FreePort.Next(), process));
        }
        foreach (var from in _nodes)
        {
            foreach (var to in _nodes.Where(to => to != from && _options.FaultProxies))
            {
                _links[(from.Id, to.Id)] = FaultProxy.Start(to.ClusterPort, $"link {from.Id}->{to.Id}");
            }
        }
        await Task.WhenAll(_nodes.Select(node => node.Process.RestartAsync([.. NodeArguments(node), "--peers", PeersAsSeenBy(node)])));
    }

    private string[] NodeArguments(ClusterNode node) =>
    [
        .. _options.Arguments,
        "--node-id", node.Id.ToString(CultureInfo.InvariantCulture),
        "--cluster-port", node.ClusterPort.ToString(CultureInfo.InvariantCulture),
        "--cluster-secret", _secret,
    ];

    /// <summary>Every founder as <c>id@host:port@cport</c>, where the cport of another node is the proxy for the link to it.</summary>
    private string PeersAsSeenBy(ClusterNode self) => string.Join(',', _nodes.Select(peer =>
    {
        var clusterPort = peer == self || !_links.TryGetValue((self.Id, peer.Id), out var proxy) ? peer.ClusterPort : proxy.Port;
        return string.Create(CultureInfo.InvariantCulture, $"{peer.Id}@127.0.0.1:{peer.Port}@{clusterPort}");
    }));

}
