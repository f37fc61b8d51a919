namespace Dst.Testing.Linearizability;

/// <summary>
/// The verdict for a whole history. When it is not linearizable, <see cref="StuckAtCall"/> is the
/// invocation time of the operation the deepest search could not place (the longest linearizable
/// prefix ends just before it completed), for showing the operations around the violation.
/// </summary>
public sealed record CheckResult(bool IsLinearizable, string? FailingPartition, int OperationsInFailingPartition, long? StuckAtCall = null)
{
    public static readonly CheckResult Linearizable = new(true, null, 0);
}

/// <summary>
/// Wing &amp; Gong's linearizability search with Lowe's memoization (as in Porcupine), run per
/// partition. Operations with unknown outcome need not be linearized: they may be placed anywhere
/// after their call, including after every completed operation (i.e. never observed).
/// </summary>
public static class LinearizabilityChecker
{
    public static CheckResult Check<TState, TInput, TOutput>(
        IModel<TState, TInput, TOutput> model,
        IReadOnlyList<Operation<TInput, TOutput>> history)
        where TState : notnull
    {
        foreach (var group in history.GroupBy(op => model.Partition(op.Input)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var operations = group.ToArray();
            if (!CheckPartition(model, operations, out var stuckAt))
            {
                return new CheckResult(false, group.Key, operations.Length, operations[stuckAt].Call);
            }
        }
        return CheckResult.Linearizable;
    }

    private sealed class Event
    {
        public required int Op { get; init; }
        public required bool IsCall { get; init; }
        public required long Time { get; init; }
        public Event? Match { get; set; }
        public Event? Previous { get; set; }
        public Event? Next { get; set; }
    }

    private static bool CheckPartition<TState, TInput, TOutput>(
        IModel<TState, TInput, TOutput> model,
        Operation<TInput, TOutput>[] operations,
        out int stuckAt)
        where TState : notnull
    {
        stuckAt = -1;
        var deepest = -1;
        var head = BuildEventList(operations);
        var linearized = new Bitset(operations.Length);
        var memo = new HashSet<(Bitset, TState)>();
        var stack = new Stack<(Event Call, TState State)>();
        var state = model.Initial;
        var entry = head.Next;
        while (head.Next is not null)
        {
            if (entry is null)
            {
                throw new InvalidOperationException("ran off the event list");
            }
            if (entry.IsCall)
            {
                var op = operations[entry.Op];
                if (model.Step(state, op.Input, op.Output, op.OutcomeKnown, out var next))
                {
                    var candidate = linearized.With(entry.Op);
                    if (memo.Add((candidate, next)))
                    {
                        stack.Push((entry, state));
                        state = next;
                        linearized = candidate;
                        Lift(entry);
                        entry = head.Next;
                        continue;
                    }
                }
                entry = entry.Next;
                continue;
            }
            // The earliest pending return: its operation had to take effect by now but could not.
            if (!operations[entry.Op].OutcomeKnown)
            {
                // Only unknown-outcome operations remain to the right: they may never have happened.
                return true;
            }
            if (stack.Count > deepest)
            {
                deepest = stack.Count;
                stuckAt = entry.Op;
            }
            if (stack.Count == 0)
            {
                return false;
            }
            var (call, previousState) = stack.Pop();
            state = previousState;
            linearized = linearized.Without(call.Op);
            Unlift(call);
            entry = call.Next;
        }
        return true;
    }

    /// <summary>A doubly linked list of call/return events in time order behind a sentinel head.</summary>
    private static Event BuildEventList<TInput, TOutput>(Operation<TInput, TOutput>[] operations)
    {
        var events = new List<Event>(operations.Length * 2);
        for (var i = 0; i < operations.Length; i++)
        {
            var call = new Event { Op = i, IsCall = true, Time = operations[i].Call };
            var ret = new Event { Op = i, IsCall = false, Time = operations[i].Return ?? long.MaxValue };
            call.Match = ret;
            ret.Match = call;
            events.Add(call);
            events.Add(ret);
        }
        // At equal times calls go first: touching operations are treated as concurrent (the lenient reading).
        events.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : (a.IsCall == b.IsCall ? a.Op.CompareTo(b.Op) : (a.IsCall ? -1 : 1)));
        var head = new Event { Op = -1, IsCall = false, Time = long.MinValue };
        var previous = head;
        foreach (var e in events)
        {
            previous.Next = e;
            e.Previous = previous;
            previous = e;
        }
        return head;
    }

    private static void Lift(Event call)
    {
        Remove(call);
        Remove(call.Match!);
    }

    private static void Unlift(Event call)
    {
        Restore(call.Match!);
        Restore(call);
    }

    private static void Remove(Event e)
    {
        e.Previous!.Next = e.Next;
        if (e.Next is not null)
        {
            e.Next.Previous = e.Previous;
        }
    }

    private static void Restore(Event e)
    {
        e.Previous!.Next = e;
        if (e.Next is not null)
        {
            e.Next.Previous = e;
        }
    }

    /// <summary>An immutable bitset with value equality, for the memo table.</summary>
    private readonly struct Bitset : IEquatable<Bitset>
    {
        private readonly ulong[] _words;

        public Bitset(int bits) => _words = new ulong[(bits + 63) / 64];

        private Bitset(ulong[] words) => _words = words;

        public Bitset With(int bit)
        {
            var words = (ulong[])_words.Clone();
            words[bit / 64] |= 1UL << (bit % 64);
            return new Bitset(words);
        }

        public Bitset Without(int bit)
        {
            var words = (ulong[])_words.Clone();
            words[bit / 64] &= ~(1UL << (bit % 64));
            return new Bitset(words);
        }

        public bool Equals(Bitset other) => _words.AsSpan().SequenceEqual(other._words);

        public override bool Equals(object? obj) => obj is Bitset other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var word in _words)
            {
                hash.Add(word);
            }
            return hash.ToHashCode();
        }
    }
}
