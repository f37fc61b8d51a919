using Dst.Client;
using Dst.Protocol;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Replication;

/// <summary>
/// What one node itself holds: a connection in READONLY mode, so a follower answers reads from its
/// own state machine (after a ReadIndex round) instead of forwarding them to the leader.
/// </summary>
public static class NodeState
{
    public static async Task<RespConnection> ConnectReadOnlyAsync(ClusterNode node)
    {
        var connection = await node.Process.ConnectAsync();
        RespAssert.Ok(await connection.RunAsync("READONLY"));
        return connection;
    }

    /// <summary>DBSIZE and every key's value as this node has them (string keys only).</summary>
    public static async Task<(long Size, SortedDictionary<string, string?> Values)> SnapshotAsync(ClusterNode node, IEnumerable<string> keys)
    {
        await using var connection = await ConnectReadOnlyAsync(node);
        var size = (await connection.RunAsync("DBSIZE")).AsInteger();
        var values = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var reply = await connection.RunAsync("GET", key);
            values[key] = reply.Type == RespType.Null ? null : reply.AsString();
        }
        return (size, values);
    }

    /// <summary>
    /// <see cref="SnapshotAsync"/>, or null while the node cannot answer (restarting, no leader known
    /// yet, still joining): for waiting until it has caught up. <paramref name="unavailable"/> hears why.
    /// </summary>
    public static async Task<(long Size, SortedDictionary<string, string?> Values)?> TrySnapshotAsync(ClusterNode node, IEnumerable<string> keys, Action<string>? unavailable = null)
    {
        try
        {
            return await SnapshotAsync(node, keys);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException or Xunit.Sdk.XunitException)
        {
            unavailable?.Invoke(e.Message);
            return null;
        }
    }

    /// <summary>Retries one command through <paramref name="node"/> until it succeeds (no error reply, no broken connection), for after a failover.</summary>
    public static async Task<RespValue> UntilSuccessAsync(ClusterNode node, params string[] command)
    {
        RespValue? result = null;
        var last = "";
        try
        {
            await Eventually.UntilAsync(
            async () =>
            {
                try
                {
                    await using var connection = await node.Process.ConnectAsync();
                    var reply = await connection.RunAsync(command);
                    last = reply.ToString();
                    if (reply.IsError)
                    {
                        return false;
                    }
                    result = reply;
                    return true;
                }
                catch (IOException e)
                {
                    last = e.Message;
                    return false;
                }
                catch (System.Net.Sockets.SocketException e)
                {
                    last = e.Message;
                    return false;
                }
            },
            $"'{string.Join(' ', command)}' to succeed through {node}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; the last attempt got: {last}", e);
        }
        return result!;
    }
}
