using Dst.Commands;
using Dst.Commands.KeySpecs;
using Dst.Commands.Lists;
using Dst.Protocol;
using Dst.Server.Networking;
using Dst.Server.Pipeline;

namespace Dst.Server.Blocking;

/// <summary>
/// Runs a blocking command (contract: src/Dst.Commands/Lists/ListCommands.cs). Each attempt is a
/// log entry; an attempt that finds nothing changes nothing and replies null, and then the client is
/// parked on the command's keys until a write to one of them (reported by the apply path), the
/// timeout, or its disconnect. Woken, it retries as a new entry. On timeout it replies the null
/// array, as Redis does; CLIENT UNBLOCK from another client ends the wait the same way, or with the
/// UNBLOCKED error. Argument errors come back from the first attempt and never block.
/// </summary>
public static class BlockingCommand
{
    public const string UnblockedError = "UNBLOCKED client unblocked via CLIENT UNBLOCK";

    public static async ValueTask ExecuteAsync(ClientConnection client, CommandSpec spec, CommandArgs args)
    {
        // The reply must follow the replies of this connection's earlier writes, and the attempt must see them.
        await client.DrainPendingAsync().ConfigureAwait(false);
        var server = client.Server;
        var timeoutMs = BlockingTimeout.TryParse(args[TimeoutIndex(spec.Name, args.Count)], out var parsed, out _) ? parsed : 0;
        var deadline = timeoutMs > 0 ? Environment.TickCount64 + timeoutMs : long.MaxValue;
        Waiter? waiter = null;
        try
        {
            while (true)
            {
                var attemptIndex = await AttemptAsync(client, args).ConfigureAwait(false);
                if (attemptIndex == 0)
                {
                    return; // replied (served, an error, or the log refused the write)
                }
                waiter ??= new Waiter(client.Id, WaitedKeys(spec, args));
                var signal = server.Blocked.Park(waiter, server.StateMachine.Modifications, attemptIndex);
                var outcome = await WaitAsync(client, signal, deadline).ConfigureAwait(false);
                if (outcome == WaitOutcome.Disconnected)
                {
                    return;
                }
                if (waiter.Unblocked == UnblockReason.Error)
                {
                    client.Reply.WriteError(UnblockedError);
                    return;
                }
                if (outcome == WaitOutcome.TimedOut || waiter.Unblocked == UnblockReason.Timeout)
                {
                    client.Reply.WriteNullArray();
                    return;
                }
            }
        }
        finally
        {
            if (waiter is not null)
            {
                server.Blocked.Remove(waiter);
            }
        }
    }

    /// <summary>
    /// Proposes one attempt. Returns its log index when it found nothing (the reply is discarded and
    /// the client should park), or 0 after writing its reply to the client.
    /// </summary>
    private static async ValueTask<ulong> AttemptAsync(ClientConnection client, CommandArgs args)
    {
        var log = client.Server.CommandLog;
        var proposal = log.Rent(ProposalKind.Command, client.Protocol);
        try
        {
            // Not in the connection's session: an attempt that found nothing is tried again as a new
            // entry, which a session would answer with the first attempt's kept reply.
            StateMachine.EncodeCommand(args, Proposal.StampedByLeader, proposal.Payload);
            await log.ProposeAsync(proposal).ConfigureAwait(false);
            var reply = proposal.Reply.WrittenSpan;
            if (IsNothingPopped(reply))
            {
                return proposal.Index;
            }
            client.Reply.WriteRaw(reply);
            return 0;
        }
        catch (LogUnavailableException e)
        {
            client.Reply.WriteError(e.Message);
            return 0;
        }
        finally
        {
            log.Return(proposal);
        }
    }

    /// <summary>By the contract an attempt that popped nothing replies a null (array or bulk); a served one never does.</summary>
    private static bool IsNothingPopped(ReadOnlySpan<byte> reply) =>
        reply.SequenceEqual("*-1\r\n"u8) || reply.SequenceEqual("_\r\n"u8) || reply.SequenceEqual("$-1\r\n"u8);

    private static async ValueTask<WaitOutcome> WaitAsync(ClientConnection client, Task signal, long deadline)
    {
        using var stop = new CancellationTokenSource();
        var remaining = deadline == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64));
        var timeout = Task.Delay(remaining, stop.Token);
        var closed = client.WaitForDisconnectAsync(stop.Token);
        var first = await Task.WhenAny(signal, timeout, closed).ConfigureAwait(false);
        if (first == closed && !closed.Result)
        {
            // The client pipelined more commands: they wait in the socket; only a write or the timeout ends the wait now.
            first = await Task.WhenAny(signal, timeout).ConfigureAwait(false);
        }
        await stop.CancelAsync().ConfigureAwait(false);
        if (first == signal)
        {
            return WaitOutcome.Woken;
        }
        return first == timeout ? WaitOutcome.TimedOut : WaitOutcome.Disconnected;
    }

    /// <summary>Where the timeout argument sits: last for BLPOP/BRPOP/BZPOPMIN/BZPOPMAX and BLMOVE/BRPOPLPUSH, first for BLMPOP/BZMPOP.</summary>
    private static int TimeoutIndex(string name, int count) => name is "blmpop" or "bzmpop" ? 1 : count - 1;

    /// <summary>The keys the client waits on: every listed key, or for BLMOVE/BRPOPLPUSH only the source.</summary>
    private static byte[][] WaitedKeys(CommandSpec spec, CommandArgs args)
    {
        if (spec.Name is "blmove" or "brpoplpush")
        {
            return [args.ToArray(1)];
        }
        if (spec.FindKeys is not null)
        {
            // BLMPOP/BZMPOP: the attempt validated numkeys already (it would have replied an error otherwise).
            var keys = new List<KeyReference>();
            spec.FindKeys(args, keys);
            return [.. keys.Select(key => args.ToArray(key.Position))];
        }
        return [.. Enumerable.Range(1, args.Count - 2).Select(args.ToArray)];
    }

    private enum WaitOutcome
    {
        Woken,
        TimedOut,
        Disconnected,
    }
}

/// <summary>Helpers the blocking path needs from a connection.</summary>
internal static class BlockingConnectionExtensions
{
    /// <summary>Completes when the peer has closed (true), or with false when it sent more data or <paramref name="stop"/> fired.</summary>
    public static async Task<bool> WaitForDisconnectAsync(this ClientConnection client, CancellationToken stop)
    {
        try
        {
            return await client.WaitForPeerCloseAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
