using System.Globalization;

namespace Dst.Server.Tests.Durability;

/// <summary>
/// What one load worker sent and what the server acknowledged, and the check that a recovered
/// server holds every acknowledged write. Worker <c>w</c> owns keys <c>k:w:slot</c>, whose values
/// are <c>v:w:seq</c> with a sequence number that only grows (so "equal or newer" is decidable and
/// <c>seq % slots == slot</c> exposes a value that landed on the wrong key), and the counter
/// <c>counter:w</c>, driven by INCR.
/// </summary>
public sealed class WorkerLedger(int worker, int slots)
{
    private readonly long[] _acknowledgedSequence = Filled(slots, -1);
    private readonly long[] _sentSequence = Filled(slots, -1);
    private long _nextSequence;
    private long _counterAcknowledged;
    private long _counterUpperBound;

    public int Worker { get; } = worker;

    public int Slots { get; } = slots;

    public string CounterKey => $"counter:{Worker}";

    public string Key(int slot) => $"k:{Worker}:{slot}";

    /// <summary>Reserves the next value for a SET and notes it as sent (it may or may not be acknowledged).</summary>
    public (string Key, string Value, int Slot, long Sequence) NextSet(Random random)
    {
        var slot = random.Next(Slots);
        var sequence = _nextSequence - (_nextSequence % Slots) + slot;
        if (sequence < _nextSequence)
        {
            sequence += Slots;
        }
        _nextSequence = sequence + 1;
        _sentSequence[slot] = sequence;
        return (Key(slot), $"v:{Worker}:{sequence}", slot, sequence);
    }

    public void SentIncrement() => _counterUpperBound++;

    public void AcknowledgedSet(int slot, long sequence) => _acknowledgedSequence[slot] = Math.Max(_acknowledgedSequence[slot], sequence);

    public void AcknowledgedIncrement(long value) => _counterAcknowledged = Math.Max(_counterAcknowledged, value);

    /// <summary>
    /// Compares the recovered values with the ledger, returns every violation, then adopts the
    /// recovered state as the new baseline (writes lost before acknowledgement are gone for good).
    /// </summary>
    public List<string> VerifyAndAdopt(IReadOnlyList<string?> values, long? counter)
    {
        var problems = new List<string>();
        for (var slot = 0; slot < Slots; slot++)
        {
            var value = values[slot];
            var acknowledged = _acknowledgedSequence[slot];
            if (value is null)
            {
                if (acknowledged >= 0)
                {
                    problems.Add($"{Key(slot)} is missing but v:{Worker}:{acknowledged} was acknowledged");
                }
                _acknowledgedSequence[slot] = _sentSequence[slot] = -1;
                continue;
            }
            var prefix = $"v:{Worker}:";
            if (!value.StartsWith(prefix, StringComparison.Ordinal)
                || !long.TryParse(value.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
                || sequence % Slots != slot)
            {
                problems.Add($"{Key(slot)} holds '{value}', which was never written to it");
                continue;
            }
            if (sequence < acknowledged)
            {
                problems.Add($"{Key(slot)} went back to v:{Worker}:{sequence} after v:{Worker}:{acknowledged} was acknowledged");
            }
            if (sequence > _sentSequence[slot])
            {
                problems.Add($"{Key(slot)} holds v:{Worker}:{sequence}, newer than anything sent (v:{Worker}:{_sentSequence[slot]})");
            }
            _acknowledgedSequence[slot] = _sentSequence[slot] = sequence;
        }

        var recovered = counter ?? 0;
        if (recovered < _counterAcknowledged)
        {
            problems.Add($"{CounterKey} is {recovered} but INCR acknowledged {_counterAcknowledged}");
        }
        if (recovered > _counterUpperBound)
        {
            problems.Add($"{CounterKey} is {recovered}, more than the {_counterUpperBound} increments ever sent");
        }
        _counterAcknowledged = _counterUpperBound = recovered;
        return problems;
    }

    private static long[] Filled(int length, long value)
    {
        var array = new long[length];
        Array.Fill(array, value);
        return array;
    }
}
