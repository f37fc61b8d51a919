using Dst.Commands;
using Dst.Protocol;
using Dst.Server.Logging;

namespace Dst.Server.Pipeline;

/// <summary>
/// Deletes expired keys nobody reads. Every 100 ms it collects keys whose time has passed and
/// proposes one expire-if-due entry for them, stamped with this node's clock, so every replica
/// deletes the same keys at the same log index (the state machine re-checks each key's expiry
/// against the entry's timestamp, so a key refreshed meanwhile survives). When a round finds a
/// full batch it goes again at once, as Redis's active expiry does while many keys are expired.
/// </summary>
public sealed class ActiveExpiry : IAsyncDisposable
{
    private const int KeysPerRound = 256;
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);

    private readonly ServerContext _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private bool _warned;

    public ActiveExpiry(ServerContext server)
    {
        _server = server;
        _loop = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        var expired = new List<byte[]>(KeysPerRound);
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                while (await ExpireRoundAsync(expired).ConfigureAwait(false) == KeysPerRound && !_stop.IsCancellationRequested)
                {
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Proposes deletion of up to one batch of expired keys; returns how many it proposed.</summary>
    private async Task<int> ExpireRoundAsync(List<byte[]> expired)
    {
        if (!_server.CommandLog.IsLeader)
        {
            // Expiry is the leader's decision: followers delete keys when its entries reach them.
            return 0;
        }
        var now = ServerContext.NowUnixMs();
        var stateMachine = _server.StateMachine;
        expired.Clear();
        lock (stateMachine.SyncRoot)
        {
            stateMachine.CollectExpiredKeys(now, KeysPerRound, expired);
        }
        if (expired.Count == 0)
        {
            return 0;
        }
        var log = _server.CommandLog;
        var proposal = log.Rent(ProposalKind.Internal, RespVersion.Resp2);
        try
        {
            StateMachine.EncodeExpireIfDue(expired, now, proposal.Payload);
            await log.ProposeAsync(proposal).ConfigureAwait(false);
            _server.Stats.ExpiredKeys(expired.Count);
            return expired.Count;
        }
        catch (LogUnavailableException e)
        {
            LogOnce(_server.Log, e.Message);
            return 0;
        }
        finally
        {
            log.Return(proposal);
        }
    }

    private void LogOnce(ServerLog log, string message)
    {
        if (!_warned)
        {
            _warned = true;
            log.Warning($"Active expiry paused: {message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
