namespace Dst.Cluster.Hosting;

/// <summary>
/// Passes run by the threads that bring the work: a client event loop before it sleeps, a transport
/// thread at the end of a frame. They take the turn when it is free, else wake the loop thread.
/// </summary>
public sealed partial class RaftHost
{
    /// <summary>The host the calling thread owes a pass to before it sleeps (<see cref="RunDeferredPass"/>).</summary>
    [ThreadStatic]
    private static RaftHost? t_owedPass;

    /// <summary>Whether the calling thread calls <see cref="RunDeferredPass"/> before it sleeps.</summary>
    [ThreadStatic]
    private static bool t_defersWakeUps;

    /// <summary>How much work the calling thread queued since its last <see cref="RunDeferredPass"/>.</summary>
    [ThreadStatic]
    private static int t_queuedSincePass;

    /// <param name="items">How many proposals or reads were queued (the inline batch limit counts them).</param>
    private void WakeOrDefer(int items = 1)
    {
        if (t_defersWakeUps && (t_owedPass is null || t_owedPass == this))
        {
            t_owedPass = this;
            t_queuedSincePass += items;
            return;
        }
        Wake();
    }

    /// <summary>
    /// Set only if not set: setting a set event that the loop is blocked on takes a lock and a futex
    /// call every time. Safe because the loop resets the event before it drains the inbox.
    /// </summary>
    private void Wake()
    {
        if (!_wake.IsSet)
        {
            _wake.Set();
        }
    }

    /// <summary>
    /// Called by a client event loop before it waits for events (the first call enrolls the thread):
    /// the work it queued since (proposals, reads) did not wake the loop thread, and runs here now in
    /// one pass, so every connection the event loop served shares it as they would share a round of
    /// the loop thread. While the loop thread holds the turn, it is woken to do the work instead.
    /// True if a pass ran here: its completions were posted to the event loop, which should run them
    /// and call again before it sleeps, as they may have queued more.
    /// <para>
    /// When appends are fsynced one by one (appendfsync always), a large batch goes to the loop thread
    /// too: an event loop blocked in fsync reads no requests meanwhile, which halved pipelined
    /// throughput (bench/README.md), while the loop thread's fsync overlaps the parsing of the next
    /// batch. A small batch (unpipelined clients) gains more from skipping the thread hop.
    /// </para>
    /// </summary>
    public static bool RunDeferredPass()
    {
        t_defersWakeUps = true;
        if (t_owedPass is not { } host)
        {
            return false;
        }
        var queued = t_queuedSincePass;
        t_owedPass = null;
        t_queuedSincePass = 0;
        if (queued > InlineSyncedBatchLimit && host._options.Durability().SyncEachAppend)
        {
            host.Wake();
            return false;
        }
        return host.RunPassOrWake();
    }

    /// <summary>With appendfsync always, batches larger than this are synced on the loop thread (see <see cref="RunDeferredPass"/>).</summary>
    private const int InlineSyncedBatchLimit = 64;

    /// <summary>At most this many passes run inline at a time; work left after them goes to the loop thread.</summary>
    private const int InlinePassLimit = 4;

    private bool RunPassOrWake()
    {
        if (_stopping || !_turn.TryEnter())
        {
            Wake();
            return false;
        }
        var busy = true;
        try
        {
            for (var i = 0; i < InlinePassLimit && busy && !_stopping; i++)
            {
                busy = Pass();
                if (_syncPending)
                {
                    break;
                }
            }
            if (_syncPending)
            {
                // The event loop sends the replies this pass posted, then calls again to finish the round.
                t_owedPass = this;
                return true;
            }
        }
        catch (Exception e)
        {
            FailLoudly(e);
        }
        finally
        {
            _turn.Exit();
        }
        if (busy)
        {
            Wake();
        }
        return true;
    }
}
