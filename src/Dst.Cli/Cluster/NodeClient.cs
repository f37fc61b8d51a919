using System.Text;
using Dst.Cli.Options;
using Dst.Cli.Session;
using Dst.Protocol;

namespace Dst.Cli.Cluster;

/// <summary>
/// A connection to one node for the cluster admin: authenticated as the command line says, RESP2
/// (replies are read, not printed), and bounded: a node that does not answer within
/// <see cref="ReplyTimeout"/> (paused, cut off) is reported unreachable instead of hanging the script.
/// </summary>
public sealed class NodeClient(CliOptions options, NodeEndpoint endpoint) : IAsyncDisposable
{
    /// <summary>
    /// Longer than a membership change the server itself waits for (10 s), so its own answer
    /// (done, or not applied in time) arrives rather than a timeout here.
    /// </summary>
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(15);

    private ServerSession _session = NewSession(options, endpoint);

    public NodeEndpoint Endpoint { get; } = endpoint;

    /// <summary>Runs one command; error replies are returned, an unreachable node throws <see cref="ServerUnavailableException"/>.</summary>
    public async Task<RespValue> ExecuteAsync(params string[] command)
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        try
        {
            return await _session.ExecuteAsync([.. command.Select(Encoding.UTF8.GetBytes)], timeout.Token);
        }
        catch (OperationCanceledException error)
        {
            // The connection is at an unknown point of the stream: the next command starts afresh.
            await _session.DisposeAsync();
            _session = NewSession(options, Endpoint);
            throw new ServerUnavailableException($"{Endpoint} did not answer {command[0]} {command.ElementAtOrDefault(1)} within {ReplyTimeout.TotalSeconds:0} s", error);
        }
    }

    /// <summary>INFO replication, read into a <see cref="ReplicationInfo"/>.</summary>
    public async Task<ReplicationInfo> ReplicationAsync()
    {
        var reply = await ExecuteAsync("INFO", "replication");
        return reply.IsError
            ? throw new ServerUnavailableException($"{Endpoint} answered INFO replication with {reply.GetString()}")
            : ReplicationInfo.Parse(reply.GetString() ?? "");
    }

    public ValueTask DisposeAsync() => _session.DisposeAsync();

    private static ServerSession NewSession(CliOptions options, NodeEndpoint endpoint) =>
        new(options with { Host = endpoint.Host, Port = endpoint.Port, Protocol = ProtocolChoice.Resp2 });
}
