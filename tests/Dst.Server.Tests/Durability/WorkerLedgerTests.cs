namespace Dst.Server.Tests.Durability;

/// <summary>The crash test is only as good as its ledger: each kind of loss must be reported.</summary>
public sealed class WorkerLedgerTests
{
    private const int Slots = 4;

    [Fact]
    public void Recovered_state_equal_to_or_newer_than_acknowledged_passes()
    {
        var ledger = new WorkerLedger(worker: 7, Slots);
        var random = new Random(1);
        var first = ledger.NextSet(random);
        ledger.AcknowledgedSet(first.Slot, first.Sequence);
        var second = ledger.NextSet(random);
        ledger.SentIncrement();
        ledger.AcknowledgedIncrement(1);
        ledger.SentIncrement();

        var values = new string?[Slots];
        values[first.Slot] = first.Value;
        values[second.Slot] = second.Value; // sent, unacknowledged, yet durable: allowed
        Assert.Empty(ledger.VerifyAndAdopt(values, counter: 2));
    }

    [Fact]
    public void A_missing_or_older_acknowledged_value_is_reported()
    {
        var ledger = new WorkerLedger(worker: 1, Slots);
        var random = new Random(2);
        var older = NextSetFor(ledger, random, slot: 2);
        var newer = NextSetFor(ledger, random, slot: 2);
        ledger.AcknowledgedSet(2, older.Sequence);
        ledger.AcknowledgedSet(2, newer.Sequence);
        var acknowledgedElsewhere = NextSetFor(ledger, random, slot: 3);
        ledger.AcknowledgedSet(3, acknowledgedElsewhere.Sequence);

        var values = new string?[Slots];
        values[2] = older.Value;
        var problems = ledger.VerifyAndAdopt(values, counter: null);
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, problem => problem.Contains("went back", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Contains("k:1:3 is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Foreign_values_and_lost_or_invented_increments_are_reported()
    {
        var ledger = new WorkerLedger(worker: 0, Slots);
        ledger.SentIncrement();
        ledger.SentIncrement();
        ledger.AcknowledgedIncrement(2);
        var values = new string?[Slots];
        values[0] = "v:0:1"; // 1 % 4 != 0: this value belongs to slot 1
        values[1] = "v:9:1"; // another worker's value
        var problems = ledger.VerifyAndAdopt(values, counter: 1);
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, problem => problem.Contains("INCR acknowledged 2", StringComparison.Ordinal));

        ledger.SentIncrement();
        Assert.Contains(ledger.VerifyAndAdopt(new string?[Slots], counter: 5), problem => problem.Contains("more than the 2 increments", StringComparison.Ordinal));
    }

    private static (string Key, string Value, int Slot, long Sequence) NextSetFor(WorkerLedger ledger, Random random, int slot)
    {
        while (true)
        {
            var set = ledger.NextSet(random);
            if (set.Slot == slot)
            {
                return set;
            }
        }
    }
}
