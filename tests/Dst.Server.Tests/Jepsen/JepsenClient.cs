using System.Globalization;
using Dst.Client;
using Dst.Testing.History;
using Dst.Testing.Linearizability;

namespace Dst.Server.Tests.Jepsen;

/// <summary>
/// One client of the Jepsen test: its own connection to a random node (any node serves in proxy
/// mode), one command at a time, each recorded with its invocation and completion. After an
/// ambiguous outcome or an error it reconnects, possibly to another node. Every tenth operation is
/// instead a write of a unique ledger key, remembered when acknowledged, to check later that no
/// acknowledged write was lost.
/// </summary>
public sealed class JepsenClient(
    int id,
    ClusterProcesses cluster,
    HistoryRecorder<RedisKvInput, RedisKvReply> history,
    Random random)
{
    /// <summary>A reply later than this makes the operation unknown (a paused node, a lost leader).</summary>
    public static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(5);

    private int _ledgerSequence;

    public List<string> AcknowledgedLedgerKeys { get; } = [];

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var node = cluster.Nodes[random.Next(cluster.Nodes.Count)];
            RespConnection connection;
            try
            {
                using var connectDeadline = new CancellationTokenSource(OperationTimeout);
                connection = await RespConnection.ConnectAsync("127.0.0.1", node.Port, connectDeadline.Token);
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
            {
                await Task.Delay(50, CancellationToken.None); // down: another node next time
                continue;
            }
            await using (connection)
            {
                while (!stop.IsCancellationRequested && await RunOneAsync(connection))
                {
                }
            }
        }
    }

    /// <summary>One operation; false when the connection should be replaced.</summary>
    private async Task<bool> RunOneAsync(RespConnection connection)
    {
        if (random.Next(10) == 0)
        {
            return await WriteLedgerAsync(connection);
        }
        var input = Workload.Next(random);
        var operation = history.Invoke(id, input);
        try
        {
            using var deadline = new CancellationTokenSource(OperationTimeout);
            var reply = await connection.ExecuteAsync(Workload.Command(input), deadline.Token);
            var (verdict, modelReply) = Workload.Classify(input, reply);
            switch (verdict)
            {
                case Workload.Verdict.Ok:
                    history.Ok(operation, modelReply);
                    return true;
                case Workload.Verdict.Fail:
                    history.Fail(operation);
                    break;
                default:
                    history.Unknown(operation);
                    break;
            }
            await Task.Delay(random.Next(20, 100), CancellationToken.None); // the cluster is busy electing: do not spin
            return random.Next(2) == 0;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            if (input.IsRead)
            {
                history.Fail(operation);
            }
            else
            {
                history.Unknown(operation);
            }
            return false;
        }
    }

    private async Task<bool> WriteLedgerAsync(RespConnection connection)
    {
        var sequence = ++_ledgerSequence;
        var key = $"jepsen:ledger:{id}:{sequence}";
        try
        {
            using var deadline = new CancellationTokenSource(OperationTimeout);
            var reply = await connection.ExecuteAsync(["SET", key, sequence.ToString(CultureInfo.InvariantCulture)], deadline.Token);
            if (!reply.IsError)
            {
                AcknowledgedLedgerKeys.Add(key);
                return true;
            }
            return false;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
