using System.Diagnostics;
using Dst.Testing.Linearizability;

namespace Dst.Testing.History;

/// <summary>
/// Records a concurrent history for the linearizability checker: each operation's invocation time
/// (taken just before the request is sent) and completion time (just after the reply arrived), on
/// one monotonic clock shared by every client. An operation ends in one of three ways:
/// <see cref="Ok"/> (it happened, with this reply), <see cref="Fail"/> (it certainly did not happen:
/// left out of the history), or <see cref="Unknown"/> (a timeout or broken connection: it may have
/// happened at any point after its invocation, or never; the checker gives it completion time
/// infinity, as Porcupine does). Operations never finished count as unknown. Thread-safe.
/// </summary>
public sealed class HistoryRecorder<TInput, TOutput>
{
    private readonly List<Entry> _entries = [];
    private readonly Lock _gate = new();
    private readonly long _origin = Stopwatch.GetTimestamp();

    /// <summary>Microseconds since the recorder was created.</summary>
    public long Now => Stopwatch.GetElapsedTime(_origin).Ticks / 10;

    public int OkCount => Count(Outcome.Ok);

    public int FailCount => Count(Outcome.Fail);

    public int UnknownCount => Count(Outcome.Unknown) + Count(Outcome.Pending);

    /// <summary>Marks the invocation; call right before sending the request.</summary>
    public PendingOperation Invoke(int clientId, TInput input)
    {
        var call = Now;
        lock (_gate)
        {
            _entries.Add(new Entry(clientId, input, call));
            return new PendingOperation(_entries.Count - 1);
        }
    }

    /// <summary>The operation happened and answered <paramref name="output"/>; call right after the reply arrived.</summary>
    public void Ok(PendingOperation operation, TOutput output)
    {
        var returned = Now;
        Finish(operation, Outcome.Ok, output, returned);
    }

    /// <summary>The operation certainly had no effect (refused before it was proposed, or a read that returned nothing).</summary>
    public void Fail(PendingOperation operation) => Finish(operation, Outcome.Fail, default, null);

    /// <summary>The operation may or may not have taken effect (timeout, broken connection, ambiguous error).</summary>
    public void Unknown(PendingOperation operation) => Finish(operation, Outcome.Unknown, default, null);

    /// <summary>The history for the checker: ok operations with their times, unknown ones without a completion, failed ones left out.</summary>
    public IReadOnlyList<Operation<TInput, TOutput>> Operations()
    {
        lock (_gate)
        {
            return _entries
                .Where(entry => entry.Outcome != Outcome.Fail)
                .Select(entry => entry.Outcome == Outcome.Ok
                    ? Operation<TInput, TOutput>.Completed(entry.ClientId, entry.Input, entry.Call, entry.Output!, entry.Returned!.Value)
                    : Operation<TInput, TOutput>.Unknown(entry.ClientId, entry.Input, entry.Call))
                .ToList();
        }
    }

    private int Count(Outcome outcome)
    {
        lock (_gate)
        {
            return _entries.Count(entry => entry.Outcome == outcome);
        }
    }

    private void Finish(PendingOperation operation, Outcome outcome, TOutput? output, long? returned)
    {
        lock (_gate)
        {
            var entry = _entries[operation.Index];
            if (entry.Outcome != Outcome.Pending)
            {
                throw new InvalidOperationException($"operation {operation.Index} already finished as {entry.Outcome}");
            }
            entry.Outcome = outcome;
            entry.Output = output;
            entry.Returned = returned;
        }
    }

    private enum Outcome
    {
        Pending,
        Ok,
        Fail,
        Unknown,
    }

    private sealed class Entry(int clientId, TInput input, long call)
    {
        public int ClientId { get; } = clientId;
        public TInput Input { get; } = input;
        public long Call { get; } = call;
        public Outcome Outcome { get; set; }
        public TOutput? Output { get; set; }
        public long? Returned { get; set; }
    }
}

/// <summary>A handle on an invoked operation of a <see cref="HistoryRecorder{TInput, TOutput}"/>.</summary>
public readonly record struct PendingOperation(int Index);
