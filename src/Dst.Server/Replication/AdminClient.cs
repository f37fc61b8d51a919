using System.Net.Sockets;
using Dst.Client;
using Dst.Protocol;

namespace Dst.Server.Replication;

/// <summary>One-shot admin requests from this node to another over RESP (joining a cluster, relaying CLUSTER commands).</summary>
internal static class AdminClient
{
    /// <summary>
    /// Runs one command at host:port (RESP2, after AUTH when a password is given) and returns its
    /// reply as decoded, error replies included; null when the node could not be reached in 5 s.
    /// </summary>
    public static async Task<RespValue?> TryExecuteAsync(string host, int port, string? password, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await using var connection = await RespConnection.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
            if (password is not null)
            {
                var auth = await connection.ExecuteAsync(["AUTH", password], timeout.Token).ConfigureAwait(false);
                if (auth.IsError)
                {
                    return auth;
                }
            }
            return await connection.ExecuteAsync([.. command], timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or RespConnectionException)
        {
            return null;
        }
    }
}
