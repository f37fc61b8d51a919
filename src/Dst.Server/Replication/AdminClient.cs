using System.Net.Sockets;
using Dst.Client;

namespace Dst.Server.Replication;

/// <summary>One-shot admin requests from this node to another over RESP (joining a cluster).</summary>
internal static class AdminClient
{
    /// <summary>
    /// Runs one command at host:port and returns its reply as text: "+..." for a status,
    /// "-..." for an error, the string for anything else; null when the node could not be reached.
    /// </summary>
    public static async Task<string?> TryExecuteAsync(string host, int port, string? password, IReadOnlyList<string> command, CancellationToken cancellationToken)
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
                    return "-" + auth.GetString();
                }
            }
            var reply = await connection.ExecuteAsync([.. command], timeout.Token).ConfigureAwait(false);
            return reply.IsError ? "-" + reply.GetString() : reply.Type == Protocol.RespType.SimpleString ? "+" + reply.GetString() : reply.GetString();
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or RespConnectionException)
        {
            return null;
        }
    }
}
