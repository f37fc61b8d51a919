using System.Globalization;
using System.Text;
using Dst.Cluster.Hosting;
using Dst.Cluster.Slots;
using Dst.Commands;
using Dst.Protocol;
using Dst.Raft;
using Dst.Raft.ConfChange;
using Dst.Server.Networking;
using Dst.Server.Replication;

namespace Dst.Server.ServerCommands;

/// <summary>
/// CLUSTER: Redis Cluster's view of the data group (one shard owning every slot; the leader is its
/// master, the other members its replicas) and Dst's membership administration: ADDNODE, REMOVENODE,
/// TRANSFERLEADER, and FAILOVER on a follower. Membership changes sent to a follower are relayed to
/// the leader.
/// </summary>
public static class ClusterCommand
{
    private const string SlotRange = "0-16383";

    public static async ValueTask Execute(ClientConnection client, CommandArgs args)
    {
        var sub = Encoding.ASCII.GetString(args[1]).ToUpperInvariant();
        var reply = client.Reply;
        switch (sub)
        {
            case "MYID" when args.Count == 2:
                reply.WriteBulkString(Encoding.ASCII.GetBytes(NodeName(Status(client).NodeId)));
                return;
            case "INFO" when args.Count == 2:
                reply.WriteBulkString(Encoding.UTF8.GetBytes(Info(Status(client), client.Server.Node!.Self)));
                return;
            case "NODES" when args.Count == 2:
                reply.WriteBulkString(Encoding.UTF8.GetBytes(Nodes(Status(client))));
                return;
            case "SLOTS" when args.Count == 2:
                Slots(reply, Status(client));
                return;
            case "SHARDS" when args.Count == 2:
                Shards(reply, Status(client));
                return;
            case "KEYSLOT" when args.Count == 3:
                reply.WriteInteger(HashSlot.Of(args[2]));
                return;
            case "ADDNODE" when args.Count == 4:
                await AddNodeAsync(client, args).ConfigureAwait(false);
                return;
            case "REMOVENODE" when args.Count == 3:
                await RemoveNodeAsync(client, args).ConfigureAwait(false);
                return;
            case "TRANSFERLEADER" when args.Count == 3:
                await TransferLeaderAsync(client, args).ConfigureAwait(false);
                return;
            case "FAILOVER" when args.Count <= 3:
                await FailoverAsync(client).ConfigureAwait(false);
                return;
            case "HELP" when args.Count == 2:
                WriteHelp(reply);
                return;
            default:
                reply.WriteError($"ERR unknown subcommand or wrong number of arguments for '{Encoding.UTF8.GetString(args[1])}'. Try CLUSTER HELP.");
                return;
        }
    }

    /// <summary>Node ids printed as Redis Cluster prints them: 40 hexadecimal characters.</summary>
    public static string NodeName(ulong nodeId) => nodeId.ToString("x40", CultureInfo.InvariantCulture);

    private static GroupStatus Status(ClientConnection client) => ReplicationCommands.Status(client);

    /// <summary>CLUSTER INFO; <paramref name="self"/> is this node's announced address, what CLUSTER ADDNODE needs to add it.</summary>
    private static string Info(GroupStatus status, NodeAddress self)
    {
        var ok = status.LeaderId != 0;
        var text = new StringBuilder();
        void Field(string name, object value) => text.Append(CultureInfo.InvariantCulture, $"{name}:{value}\\r\\n");
        Field("cluster_state", ok ? "ok" : "fail");
        Field("cluster_slots_assigned", HashSlot.Count);
        Field("cluster_slots_ok", ok ? HashSlot.Count : 0);
        Field("cluster_slots_pfail", 0);
        Field("cluster_slots_fail", ok ? 0 : HashSlot.Count);
        Field("cluster_known_nodes", status.Voters.Count + status.Learners.Count);
        Field("cluster_size", 1);
        Field("cluster_current_epoch", status.Term);
        Field("cluster_my_epoch", status.Term);
        Field("dst_node_id", status.NodeId);
        Field("dst_node_address", self);
        Field("dst_leader_id", status.LeaderId);
        Field("dst_raft_term", status.Term);
        Field("dst_raft_role", status.Role.ToString().ToLowerInvariant());
        Field("dst_commit_index", status.CommitIndex);
        Field("dst_applied_index", status.AppliedIndex);
        Field("dst_voters", string.Join(',', status.Voters));
        Field("dst_learners", string.Join(',', status.Learners));
        return text.ToString().Replace("\\r\\n", "\r\n", StringComparison.Ordinal);
    }

    /// <summary>CLUSTER NODES: one line per member in Redis's format; the leader owns every slot.</summary>
    private static string Nodes(GroupStatus status)
    {
        var text = new StringBuilder();
        foreach (var id in status.Voters.Concat(status.Learners).Distinct().Order())
        {
            var address = status.Addresses.TryGetValue(id, out var known) ? known.ToString() : ":0@0";
            var flags = new List<string>();
            if (id == status.NodeId)
            {
                flags.Add("myself");
            }
            var isLeader = id == status.LeaderId;
            flags.Add(isLeader ? "master" : "slave");
            var master = isLeader || status.LeaderId == 0 ? "-" : NodeName(status.LeaderId);
            var link = id == status.NodeId || isLeader || status.Peers.Any(p => p.NodeId == id && p.RecentActive) || !status.IsLeader ? "connected" : "disconnected";
            text.Append(CultureInfo.InvariantCulture, $"{NodeName(id)} {address} {string.Join(',', flags)} {master} 0 0 {status.Term} {link}");
            if (isLeader)
            {
                text.Append(' ').Append(SlotRange);
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    private static void Slots(RespWriter reply, GroupStatus status)
    {
        if (status.LeaderAddress is not { } leader)
        {
            reply.WriteArrayHeader(0);
            return;
        }
        var replicas = Replicas(status).ToList();
        reply.WriteArrayHeader(1);
        reply.WriteArrayHeader(3 + replicas.Count);
        reply.WriteInteger(0);
        reply.WriteInteger(HashSlot.Count - 1);
        WriteSlotNode(reply, status.LeaderId, leader);
        foreach (var (id, address) in replicas)
        {
            WriteSlotNode(reply, id, address);
        }
    }

    private static void WriteSlotNode(RespWriter reply, ulong id, NodeAddress address)
    {
        reply.WriteArrayHeader(3);
        reply.WriteBulkString(Encoding.UTF8.GetBytes(address.Host));
        reply.WriteInteger(address.Port);
        reply.WriteBulkString(Encoding.ASCII.GetBytes(NodeName(id)));
    }

    private static void Shards(RespWriter reply, GroupStatus status)
    {
        var members = status.Voters.Concat(status.Learners).Distinct().Order().ToList();
        reply.WriteArrayHeader(1);
        reply.WriteMapHeader(2);
        reply.WriteBulkString("slots"u8);
        reply.WriteArrayHeader(2);
        reply.WriteInteger(0);
        reply.WriteInteger(HashSlot.Count - 1);
        reply.WriteBulkString("nodes"u8);
        reply.WriteArrayHeader(members.Count);
        foreach (var id in members)
        {
            var address = status.Addresses.TryGetValue(id, out var known) ? known : new NodeAddress("", 0, 0);
            var match = id == status.NodeId ? status.AppliedIndex : status.Peers.FirstOrDefault(p => p.NodeId == id).Match;
            reply.WriteMapHeader(7);
            reply.WriteBulkString("id"u8);
            reply.WriteBulkString(Encoding.ASCII.GetBytes(NodeName(id)));
            reply.WriteBulkString("port"u8);
            reply.WriteInteger(address.Port);
            reply.WriteBulkString("ip"u8);
            reply.WriteBulkString(Encoding.UTF8.GetBytes(address.Host));
            reply.WriteBulkString("endpoint"u8);
            reply.WriteBulkString(Encoding.UTF8.GetBytes(address.Host));
            reply.WriteBulkString("role"u8);
            reply.WriteBulkString(id == status.LeaderId ? "master"u8 : "replica"u8);
            reply.WriteBulkString("replication-offset"u8);
            reply.WriteInteger((long)match);
            reply.WriteBulkString("health"u8);
            reply.WriteBulkString(status.LeaderId != 0 ? "online"u8 : "fail"u8);
        }
    }

    private static IEnumerable<(ulong Id, NodeAddress Address)> Replicas(GroupStatus status)
    {
        foreach (var id in status.Voters.Concat(status.Learners).Distinct().Order())
        {
            if (id != status.LeaderId && status.Addresses.TryGetValue(id, out var address))
            {
                yield return (id, address);
            }
        }
    }

    private static async ValueTask AddNodeAsync(ClientConnection client, CommandArgs args)
    {
        if (!TryParseNodeId(args[2], out var id))
        {
            client.Reply.WriteError("ERR the node id must be a positive integer");
            return;
        }
        var text = Encoding.UTF8.GetString(args[3]);
        if (!NodeAddress.TryParse(text, out var address, out var error))
        {
            client.Reply.WriteError($"ERR {error}");
            return;
        }
        if (client.Server.Node!.Transport is null)
        {
            client.Reply.WriteError("ERR this node runs without a cluster transport: restart it with --cluster-secret to add members");
            return;
        }
        if (await LeaderMembershipAsync(client, args).ConfigureAwait(false) is not { } status)
        {
            return;
        }
        if (status.Voters.Contains(id) || status.Learners.Contains(id))
        {
            client.Reply.WriteError($"ERR node {id} is already a member");
            return;
        }
        var change = ConfChangeRequest.Single(ConfChangeType.AddLearnerNode, id) with { Context = address.Encode() };
        await ChangeMembershipAsync(client, args, change, done: s => s.Learners.Contains(id) || s.Voters.Contains(id)).ConfigureAwait(false);
    }

    private static async ValueTask RemoveNodeAsync(ClientConnection client, CommandArgs args)
    {
        if (!TryParseNodeId(args[2], out var id))
        {
            client.Reply.WriteError("ERR the node id must be a positive integer");
            return;
        }
        if (await LeaderMembershipAsync(client, args).ConfigureAwait(false) is not { } status)
        {
            return;
        }
        if (!status.Voters.Contains(id) && !status.Learners.Contains(id))
        {
            client.Reply.WriteError($"ERR node {id} is not a member");
            return;
        }
        if (status.Voters.Count == 1 && status.Voters.Contains(id))
        {
            client.Reply.WriteError("ERR cannot remove the last voter");
            return;
        }
        var change = ConfChangeRequest.Single(ConfChangeType.RemoveNode, id);
        await ChangeMembershipAsync(client, args, change, done: s => !s.Learners.Contains(id) && !s.Voters.Contains(id)).ConfigureAwait(false);
    }

    /// <summary>
    /// The membership ADDNODE and REMOVENODE check against: the leader's, once a ReadIndex round has
    /// applied every committed change. A follower's view may lag (a node just removed still looks like
    /// a member, and a wiped node re-joining through it would never be added), so a follower relays
    /// the command to the leader instead and this returns null, as it does when the round fails.
    /// </summary>
    private static async ValueTask<GroupStatus?> LeaderMembershipAsync(ClientConnection client, CommandArgs args)
    {
        var node = client.Server.Node!;
        if (!node.Group.Status.IsLeader)
        {
            await RelayToLeaderAsync(client, args).ConfigureAwait(false);
            return null;
        }
        try
        {
            await node.CommandLog.LinearizableBarrierAsync().ConfigureAwait(false);
        }
        catch (LogUnavailableException e)
        {
            client.Reply.WriteError(e.Message);
            return null;
        }
        return node.Group.Status;
    }

    /// <summary>Proposes the change on the leader (relaying the command there from a follower) and waits until it is applied here.</summary>
    private static async ValueTask ChangeMembershipAsync(ClientConnection client, CommandArgs args, ConfChangeRequest change, Func<GroupStatus, bool> done)
    {
        var node = client.Server.Node!;
        if (!node.Group.Status.IsLeader)
        {
            await RelayToLeaderAsync(client, args).ConfigureAwait(false);
            return;
        }
        var error = await node.Host.ProposeConfChangeAsync(node.Group, change).ConfigureAwait(false);
        if (error is not null)
        {
            client.Reply.WriteError($"ERR membership change refused: {error}");
            return;
        }
        if (await WaitForAsync(node, done, TimeSpan.FromSeconds(10)).ConfigureAwait(false))
        {
            client.Reply.WriteOk();
        }
        else
        {
            client.Reply.WriteError("ERR membership change proposed but not applied within 10 s; check CLUSTER NODES");
        }
    }

    private static async ValueTask TransferLeaderAsync(ClientConnection client, CommandArgs args)
    {
        if (!TryParseNodeId(args[2], out var id))
        {
            client.Reply.WriteError("ERR the node id must be a positive integer");
            return;
        }
        var node = client.Server.Node!;
        var status = node.Group.Status;
        if (!status.Voters.Contains(id))
        {
            client.Reply.WriteError($"ERR node {id} is not a voter");
            return;
        }
        if (status.LeaderId == id)
        {
            client.Reply.WriteOk();
            return;
        }
        if (!status.IsLeader)
        {
            await RelayToLeaderAsync(client, args).ConfigureAwait(false);
            return;
        }
        node.Host.Post(() => node.Group.Raw.TransferLeader(id));
        if (await WaitForAsync(node, s => s.LeaderId == id, TimeSpan.FromSeconds(5)).ConfigureAwait(false))
        {
            client.Reply.WriteOk();
        }
        else
        {
            client.Reply.WriteError($"ERR node {id} did not take over within 5 s (is it caught up and reachable?)");
        }
    }

    /// <summary>CLUSTER FAILOVER on a follower: ask the leader to hand leadership to this node.</summary>
    private static async ValueTask FailoverAsync(ClientConnection client)
    {
        var node = client.Server.Node!;
        var status = node.Group.Status;
        if (status.IsLeader)
        {
            client.Reply.WriteError("ERR You should send CLUSTER FAILOVER to a replica");
            return;
        }
        var args = new CommandArgs();
        args.Add("CLUSTER"u8);
        args.Add("TRANSFERLEADER"u8);
        args.Add(Encoding.ASCII.GetBytes(status.NodeId.ToString(CultureInfo.InvariantCulture)));
        await RelayToLeaderAsync(client, args).ConfigureAwait(false);
    }

    private static async ValueTask RelayToLeaderAsync(ClientConnection client, CommandArgs args)
    {
        var status = client.Server.Node!.Group.Status;
        if (status.LeaderAddress is not { } leader)
        {
            client.Reply.WriteError(ReplicationErrors.NoLeader);
            return;
        }
        var command = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            command.Add(Encoding.UTF8.GetString(args[i]));
        }
        var reply = await AdminClient.TryExecuteAsync(leader.Host, leader.Port, client.Server.Options.RequirePass, command, CancellationToken.None).ConfigureAwait(false);
        if (reply is null)
        {
            client.Reply.WriteError($"ERR could not reach the leader at {leader.ClientEndPoint}");
        }
        else
        {
            client.Reply.WriteValue(reply);
        }
    }

    private static async Task<bool> WaitForAsync(ReplicatedNode node, Func<GroupStatus, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(node.Group.Status))
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }
            await Task.Delay(10).ConfigureAwait(false);
        }
        return true;
    }

    private static bool TryParseNodeId(ReadOnlySpan<byte> text, out ulong id) =>
        Arguments.TryParseLong(text, out var value) & (id = value > 0 ? (ulong)value : 0) > 0;

    private static void WriteHelp(RespWriter reply)
    {
        string[] lines =
        [
            "CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "MYID", "    Return this node's id.",
            "INFO", "    Return the cluster state, Raft term, leader, commit and applied index.",
            "NODES", "    Return every member in Redis Cluster's CLUSTER NODES format.",
            "SLOTS", "    Return the slot ranges and the nodes serving them.",
            "SHARDS", "    Return the shards (one: the data group) and their nodes.",
            "KEYSLOT <key>", "    Return the hash slot of <key>.",
            "ADDNODE <id> <host:port[@cport]>", "    Add a node as a learner; it is promoted to voter once caught up.",
            "REMOVENODE <id>", "    Remove a member.",
            "TRANSFERLEADER <id>", "    Hand leadership to voter <id>.",
            "FAILOVER", "    (on a follower) Take over leadership from the current leader.",
            "HELP", "    Print this help.",
        ];
        reply.WriteArrayHeader(lines.Length);
        foreach (var line in lines)
        {
            reply.WriteSimpleString(Encoding.UTF8.GetBytes(line));
        }
    }
}
