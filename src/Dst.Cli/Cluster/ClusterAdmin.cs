using System.Globalization;
using Dst.Cli.Options;
using Dst.Cli.Session;
using Dst.Protocol;

namespace Dst.Cli.Cluster;

/// <summary>
/// Runs one <c>dst-cli --cluster</c> subcommand: checks the request against what the leader reports,
/// sends the CLUSTER subcommand to the node given (which relays it to the leader), then waits until
/// the change is visible in the leader's own INFO replication, so scripts can chain the commands.
/// Exit code 0 on success, 1 when a node cannot be reached, refuses, or the change does not show in time.
/// </summary>
public sealed class ClusterAdmin(CliOptions options, ClusterOutput output)
{
    public async Task<int> RunAsync(ClusterRequest request)
    {
        await using var observer = new ClusterObserver(options, request.Via);
        try
        {
            return request switch
            {
                StatusRequest => await StatusAsync(observer),
                WaitLeaderRequest => await WaitLeaderAsync(observer, request.Timeout),
                AddNodeRequest add => await AddNodeAsync(observer, add),
                RemoveNodeRequest remove => await RemoveNodeAsync(observer, remove),
                TransferLeaderRequest transfer => await TransferLeaderAsync(observer, transfer),
                _ => throw new ArgumentOutOfRangeException(nameof(request), request, "unknown cluster request"),
            };
        }
        catch (ServerUnavailableException error)
        {
            return output.Failure(error.Message);
        }
    }

    private async Task<int> StatusAsync(ClusterObserver observer)
    {
        var view = await observer.ObserveAsync();
        if (view.Leader is not { } leader)
        {
            return NoLeader(view);
        }
        var addresses = await AddressesAsync(observer, view);
        return output.Status(ClusterStatus.From(leader, view.LeaderEndpoint!, addresses));
    }

    private async Task<int> WaitLeaderAsync(ClusterObserver observer, TimeSpan timeout)
    {
        var (view, problem) = await observer.WaitUntilAsync(v => v.HasLeader, v => v.LeaderProblem ?? "", timeout);
        return view?.Leader is { } leader
            ? output.Success($"Leader: node {leader.NodeId} at {view.LeaderEndpoint}, term {leader.Term}", ("leader", leader.NodeId), ("leader_address", view.LeaderEndpoint!), ("term", leader.Term))
            : output.Failure($"No leader within {Seconds(timeout)}: {problem}");
    }

    /// <summary>
    /// Asks the new node who it is (CLUSTER INFO: id and announced address), refuses a node that
    /// belongs to another cluster or an id a different member already has, adds it through the node
    /// given unless it already joined by itself (--join), and waits until the leader counts it a voter.
    /// </summary>
    private async Task<int> AddNodeAsync(ClusterObserver observer, AddNodeRequest add)
    {
        var identity = await observer.Node(add.NewNode).ExecuteAsync("CLUSTER", "INFO");
        var fields = InfoText.Fields(identity.IsError ? "" : identity.GetString() ?? "");
        if (!fields.TryGetValue("dst_node_id", out var idText) || !ulong.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || !fields.TryGetValue("dst_node_address", out var address))
        {
            return output.Failure($"{add.NewNode} did not tell its node id and address (CLUSTER INFO answered {Describe(identity)}); is it a dst-server of this version?");
        }
        var view = await observer.ObserveAsync();
        if (view.Leader is not { } leader)
        {
            return NoLeader(view);
        }
        var addresses = await AddressesAsync(observer, view);
        if (leader.IsMember(id) && addresses.TryGetValue(id, out var memberAddress) && memberAddress != address)
        {
            return output.Failure($"Node id {id} is already the member at {memberAddress}; start the new node with another --node-id", ("node", id));
        }
        if (!leader.IsMember(id))
        {
            var ownVoters = fields.TryGetValue("dst_voters", out var voters) ? voters.Split(',', StringSplitOptions.RemoveEmptyEntries) : [];
            if (ownVoters.Length > 0 && !ownVoters.Any(v => ulong.TryParse(v, CultureInfo.InvariantCulture, out var voter) && leader.IsMember(voter)))
            {
                return output.Failure($"Node {id} at {add.NewNode} already belongs to another cluster (voters {string.Join(',', ownVoters)}); start it on an empty --dir with --join {add.Via}", ("node", id));
            }
            output.Progress($">>> Adding node {id} ({address}) through {add.Via}");
            var reply = await observer.Via.ExecuteAsync("CLUSTER", "ADDNODE", NodeIds.Format(id), address);
            if (reply.IsError && reply.GetString()?.Contains("already a member", StringComparison.Ordinal) != true)
            {
                return output.Failure($"{add.Via} refused CLUSTER ADDNODE: {reply.GetString()}", ("node", id));
            }
        }
        output.Progress($">>> Waiting until node {id} is a voter (up to {Seconds(add.Timeout)})");
        var (done, problem) = await observer.WaitUntilAsync(
            v => v.Leader?.Voters.Contains(id) == true,
            v => v.Leader is not { } l ? v.LeaderProblem ?? ""
                : l.Learners.Contains(id) ? $"node {id} is still a learner ({Progress(l, id)})"
                : $"node {id} is not a member yet",
            add.Timeout);
        return done is not null
            ? output.Success($"[OK] Node {id} ({address}) is a voter", ("node", id), ("address", address))
            : output.Failure($"Node {id} did not become a voter within {Seconds(add.Timeout)}: {problem}", ("node", id));
    }

    private async Task<int> RemoveNodeAsync(ClusterObserver observer, RemoveNodeRequest remove)
    {
        var view = await observer.ObserveAsync();
        if (view.Leader is not { } leader)
        {
            return NoLeader(view);
        }
        if (!leader.IsMember(remove.NodeId))
        {
            return output.Failure($"Node {remove.NodeId} is not a member (members: {string.Join(',', leader.Voters.Concat(leader.Learners).Order())})", ("node", remove.NodeId));
        }
        output.Progress($">>> Removing node {remove.NodeId} through {remove.Via}");
        var reply = await observer.Via.ExecuteAsync("CLUSTER", "REMOVENODE", NodeIds.Format(remove.NodeId));
        if (reply.IsError)
        {
            return output.Failure($"{remove.Via} refused CLUSTER REMOVENODE: {reply.GetString()}", ("node", remove.NodeId));
        }
        // A removed node hears no more of the group: watch through a member that stays.
        await using var watcher = new ClusterObserver(options, WatchPoint(view, remove.NodeId) ?? remove.Via);
        var (done, problem) = await watcher.WaitUntilAsync(
            v => v.Leader is { } l && !l.IsMember(remove.NodeId),
            v => v.LeaderProblem ?? $"node {remove.NodeId} is still a member",
            remove.Timeout);
        return done is not null
            ? output.Success($"[OK] Node {remove.NodeId} is no longer a member", ("node", remove.NodeId))
            : output.Failure($"Node {remove.NodeId} was still listed after {Seconds(remove.Timeout)}: {problem}", ("node", remove.NodeId));
    }

    private async Task<int> TransferLeaderAsync(ClusterObserver observer, TransferLeaderRequest transfer)
    {
        var view = await observer.ObserveAsync();
        if (view.Leader is not { } leader)
        {
            return NoLeader(view);
        }
        if (!leader.Voters.Contains(transfer.NodeId))
        {
            return output.Failure($"Node {transfer.NodeId} is not a voter (voters: {string.Join(',', leader.Voters)})", ("node", transfer.NodeId));
        }
        if (leader.NodeId != transfer.NodeId)
        {
            output.Progress($">>> Handing leadership from node {leader.NodeId} to node {transfer.NodeId}");
            var reply = await observer.Via.ExecuteAsync("CLUSTER", "TRANSFERLEADER", NodeIds.Format(transfer.NodeId));
            if (reply.IsError)
            {
                return output.Failure($"{transfer.Via} refused CLUSTER TRANSFERLEADER: {reply.GetString()}", ("node", transfer.NodeId));
            }
        }
        var (done, problem) = await observer.WaitUntilAsync(
            v => v.Leader?.NodeId == transfer.NodeId,
            v => v.Leader is { } l ? $"node {l.NodeId} leads" : v.LeaderProblem ?? "",
            transfer.Timeout);
        return done is not null
            ? output.Success($"[OK] Node {transfer.NodeId} leads (term {done.Leader!.Term})", ("leader", transfer.NodeId), ("leader_address", done.LeaderEndpoint!), ("term", done.Leader.Term))
            : output.Failure($"Node {transfer.NodeId} did not take over within {Seconds(transfer.Timeout)}: {problem}", ("node", transfer.NodeId));
    }

    private int NoLeader(ClusterView view) =>
        output.Failure($"No leader: {view.LeaderProblem}", ("node", view.Via.NodeId), ("term", view.Via.Term));

    /// <summary>Each member's announced address, from the leader's CLUSTER NODES.</summary>
    private static async Task<IReadOnlyDictionary<ulong, string>> AddressesAsync(ClusterObserver observer, ClusterView view)
    {
        var nodes = await observer.Node(view.LeaderEndpoint!).ExecuteAsync("CLUSTER", "NODES");
        return nodes.IsError ? new Dictionary<ulong, string>() : ClusterNodesReply.Addresses(nodes.GetString() ?? "");
    }

    /// <summary>The client address of a member other than <paramref name="leaving"/>: the leader, or a follower when the leader is the one leaving.</summary>
    private static NodeEndpoint? WatchPoint(ClusterView view, ulong leaving)
    {
        if (view.Leader!.NodeId != leaving)
        {
            return view.LeaderEndpoint;
        }
        return view.Leader.Followers.Where(f => f.NodeId != leaving && f.IsVoter && f.Port > 0).Select(f => new NodeEndpoint(f.Host, f.Port)).FirstOrDefault();
    }

    private static string Progress(ReplicationInfo leader, ulong id) =>
        leader.Followers.FirstOrDefault(f => f.NodeId == id) is { } follower
            ? $"match index {follower.Match}, {follower.Lag} entries behind"
            : "no progress reported";

    private static string Describe(RespValue reply) => reply.IsError ? reply.GetString() ?? "an error" : "without them";

    private static string Seconds(TimeSpan timeout) => string.Create(CultureInfo.InvariantCulture, $"{timeout.TotalSeconds:0.#} s");
}
