using System.Globalization;
using System.Text;
using Dst.Cluster.Hosting;
using Dst.Commands;
using Dst.Commands.Entries;
using Dst.Protocol;
using Dst.Server.Networking;
using Dst.Server.Pipeline;
using Dst.Server.Replication;

namespace Dst.Server.ServerCommands;

/// <summary>ROLE, WAIT, READONLY, READWRITE and the internal DST.PROPOSE, answered from the data group's state.</summary>
public static class ReplicationCommands
{
    /// <summary>
    /// ROLE as Redis answers it: a leader is "master" with its applied index and, per follower, host,
    /// port and match index; a follower or learner is "slave" with the leader's address and its applied index.
    /// </summary>
    public static ValueTask Role(ClientConnection client, CommandArgs args)
    {
        var status = Status(client);
        var reply = client.Reply;
        if (status.IsLeader)
        {
            reply.WriteArrayHeader(3);
            reply.WriteBulkString("master"u8);
            reply.WriteInteger((long)status.AppliedIndex);
            reply.WriteArrayHeader(status.Peers.Count);
            foreach (var peer in status.Peers)
            {
                var address = status.Addresses.TryGetValue(peer.NodeId, out var known) ? known : default;
                reply.WriteArrayHeader(3);
                reply.WriteBulkString(Encoding.UTF8.GetBytes(address.Host ?? ""));
                reply.WriteBulkString(Encoding.UTF8.GetBytes(address.Port.ToString(CultureInfo.InvariantCulture)));
                reply.WriteBulkString(Encoding.UTF8.GetBytes(peer.Match.ToString(CultureInfo.InvariantCulture)));
            }
            return ValueTask.CompletedTask;
        }
        var leader = status.LeaderAddress;
        reply.WriteArrayHeader(5);
        reply.WriteBulkString("slave"u8);
        reply.WriteBulkString(Encoding.UTF8.GetBytes(leader?.Host ?? "?"));
        reply.WriteInteger(leader?.Port ?? -1);
        reply.WriteBulkString(leader is null ? "connect"u8 : "connected"u8);
        reply.WriteInteger((long)status.AppliedIndex);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// WAIT numreplicas timeout: how many voters besides this node durably hold the connection's last
    /// write. An acknowledged write is already on a majority, so this rarely waits. On a follower the
    /// write was forwarded and this node cannot see the leader's match indexes: it answers the
    /// majority it knows the write reached (voters / 2 besides the leader).
    /// </summary>
    public static async ValueTask Wait(ClientConnection client, CommandArgs args)
    {
        if (!Arguments.TryParseLong(args[1], out var wanted) || !Arguments.TryParseLong(args[2], out var timeoutMs))
        {
            client.Reply.WriteError(CommandErrors.NotInteger);
            return;
        }
        if (timeoutMs < 0)
        {
            client.Reply.WriteError("ERR timeout is negative");
            return;
        }
        var index = client.LastWriteIndex;
        var deadline = timeoutMs == 0 ? DateTime.MaxValue : DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var status = Status(client);
            if (!status.IsLeader)
            {
                client.Reply.WriteInteger(Math.Max(0, (status.Voters.Count / 2) - (status.Voters.Contains(status.NodeId) ? 0 : 1)));
                return;
            }
            var holding = status.OtherVotersHolding(index);
            if (holding >= wanted || DateTime.UtcNow >= deadline || holding >= status.Voters.Count - 1)
            {
                client.Reply.WriteInteger(holding);
                return;
            }
            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    public static ValueTask ReadOnly(ClientConnection client, CommandArgs args)
    {
        client.ReadOnlyMode = true;
        client.Reply.WriteOk();
        return ValueTask.CompletedTask;
    }

    public static ValueTask ReadWrite(ClientConnection client, CommandArgs args)
    {
        client.ReadOnlyMode = false;
        client.Reply.WriteOk();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// DST.PROPOSE resp-version entry: a follower's forwarded write. The entry joins this connection's
    /// pending writes like a local client's (so a follower's pipelined forwards share a round), the
    /// leader restamps its timestamp, and the reply goes back byte for byte.
    /// </summary>
    public static void QueueForwardedWrite(ClientConnection client, CommandArgs args)
    {
        var version = args[1] switch
        {
            [(byte)'2'] => RespVersion.Resp2,
            [(byte)'3'] => RespVersion.Resp3,
            _ => (RespVersion?)null,
        };
        if (version is null)
        {
            client.Reply.WriteError("ERR DST.PROPOSE takes RESP version 2 or 3");
            return;
        }
        bool inSession;
        try
        {
            inSession = new WriteEntryReader(args[2]).Header.HasSession;
        }
        catch (WriteEntryFormatException e)
        {
            client.Reply.WriteError($"ERR DST.PROPOSE entry is malformed: {e.Message}");
            return;
        }
        var proposal = client.Server.CommandLog.Rent(ProposalKind.Command, version.Value);
        proposal.Payload.Write(args[2]);
        proposal.InSession = inSession;
        client.AddPendingWrite(proposal);
    }

    internal static GroupStatus Status(ClientConnection client) => client.Server.Node!.Group.Status;
}
