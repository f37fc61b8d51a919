using Dst.Raft;
using Xunit.Abstractions;

namespace Dst.Storage.Tests;

/// <summary>
/// Random sequences of append / sync / truncate / compact / reset / reopen / crash against a plain
/// list of entries. A crash cuts the last segment anywhere past its synced bytes and may leave zeros
/// or garbage there, as a power loss can; the recovered log must then be the model's prefix up to
/// some index between the durable index and the last index. Seeded; the seed is in every failure.
/// <c>DST_STORAGE_SEEDS=N</c> runs seeds 1..N (default 12); <c>DST_STORAGE_SEED=S</c> replays one.
/// </summary>
public class SegmentedLogModelTests(ITestOutputHelper output)
{
    private static readonly SegmentedLogOptions Options = new()
    {
        SegmentBytes = 4096,
        WriteBufferBytes = 4096,
        TailCacheEntries = 16,
        TailCacheBytes = 2048,
        PreallocateBytes = 0,
    };

    public static IEnumerable<object[]> Seeds()
    {
        var replay = Environment.GetEnvironmentVariable("DST_STORAGE_SEED");
        if (replay is not null)
        {
            yield return [int.Parse(replay)];
            yield break;
        }
        var count = int.TryParse(Environment.GetEnvironmentVariable("DST_STORAGE_SEEDS"), out var n) ? n : 12;
        for (var seed = 1; seed <= count; seed++)
        {
            yield return [seed];
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_log_matches_a_list_model_through_random_operations_and_crashes(int seed) => RunReporting(seed, Options);

    /// <summary>The same with zeros laid ahead of the records, which a crash may cut anywhere or leave whole.</summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_preallocating_log_matches_the_model_through_random_operations_and_crashes(int seed) =>
        RunReporting(seed, Options with { PreallocateBytes = 700 });

    private void RunReporting(int seed, SegmentedLogOptions options)
    {
        try
        {
            Run(seed, options);
        }
        catch (Exception e)
        {
            output.WriteLine($"seed {seed} failed; replay with DST_STORAGE_SEED={seed}");
            throw new Xunit.Sdk.XunitException($"seed {seed} (replay: DST_STORAGE_SEED={seed} dotnet test --filter SegmentedLogModelTests): {e}");
        }
    }

    private static void Run(int seed, SegmentedLogOptions options)
    {
        var random = new Random(seed);
        using var dir = new TempDirectory();
        var model = new Model();
        var log = SegmentedLog.Open(dir.Path, options);
        var tornTails = 0;
        try
        {
            for (var step = 0; step < 400; step++)
            {
                var roll = random.Next(100);
                if (roll < 55)
                {
                    AppendBatch(log, model, random);
                }
                else if (roll < 70)
                {
                    log.Sync();
                }
                else if (roll < 78 && model.Last >= model.First)
                {
                    var from = RandomIndex(random, model.First, model.Last + 1);
                    log.TruncateSuffix(from);
                    model.TruncateFrom(from);
                }
                else if (roll < 84 && model.Last >= model.First)
                {
                    var through = RandomIndex(random, model.First, model.Last);
                    log.CompactPrefix(through);
                    model.CompactThrough(through);
                }
                else if (roll < 85)
                {
                    var index = model.Last + (ulong)random.Next(0, 20);
                    var term = model.LastTerm + (ulong)random.Next(0, 2);
                    log.ResetTo(index, term);
                    model.Reset(index, term);
                }
                else if (roll < 90)
                {
                    log.Dispose();
                    log = SegmentedLog.Open(dir.Path, options);
                    Assert.Equal(0, log.Recovery.DroppedBytes);
                }
                else if (roll < 95)
                {
                    var durable = log.DurableIndex;
                    log.Dispose();
                    Crash(dir.Path, durable, random);
                    log = SegmentedLog.Open(dir.Path, options);
                    Assert.InRange(log.LastIndex, durable, model.Last);
                    model.TruncateFrom(log.LastIndex + 1);
                    tornTails += log.Recovery.DroppedBytes > 0 ? 1 : 0;
                }
                else
                {
                    CheckReads(log, model, random);
                }
                CheckShape(log, model);
            }
            CheckReads(log, model, random);
            Assert.True(tornTails > 0, "no crash left a torn tail: the run did not exercise recovery");
        }
        finally
        {
            log.Dispose();
        }
    }

    private static void AppendBatch(SegmentedLog log, Model model, Random random)
    {
        var term = model.LastTerm + (random.Next(10) == 0 ? 1ul : 0ul);
        var count = random.Next(1, 12);
        for (var i = 0; i < count; i++)
        {
            var index = model.Last + 1;
            var data = new byte[random.Next(10) == 0 ? random.Next(2000, 6000) : random.Next(0, 120)];
            random.NextBytes(data);
            var type = random.Next(8) == 0 ? EntryType.ConfChange : EntryType.Normal;
            if (random.Next(2) == 0)
            {
                log.Append(term, index, type, data);
            }
            else
            {
                log.Append(new Entry(term, index, type, data));
            }
            model.Append(new Entry(term, index, type, data));
        }
    }

    /// <summary>Cuts the last segment somewhere past its synced bytes, then maybe leaves zeros or garbage.</summary>
    private static void Crash(string directory, ulong durableIndex, Random random)
    {
        var segment = LogFiles.LastSegment(directory);
        var firstIndex = LogFiles.FirstIndexOf(segment);
        var records = LogFiles.Records(segment);
        var syncedRecords = durableIndex >= firstIndex ? (int)Math.Min((ulong)records.Count, durableIndex - firstIndex + 1) : 0;
        long syncedBytes = syncedRecords == 0 ? 0 : records[syncedRecords - 1].Offset + records[syncedRecords - 1].Size;
        var length = new FileInfo(segment).Length;
        LogFiles.Truncate(segment, syncedBytes + (long)(random.NextDouble() * (length - syncedBytes + 1)));
        switch (random.Next(3))
        {
            case 0:
                LogFiles.AppendBytes(segment, new byte[random.Next(1, 600)]);
                break;
            case 1:
                var garbage = new byte[random.Next(1, 600)];
                random.NextBytes(garbage);
                LogFiles.AppendBytes(segment, garbage);
                break;
        }
    }

    private static void CheckShape(SegmentedLog log, Model model)
    {
        Assert.Equal(model.First, log.FirstIndex);
        Assert.Equal(model.Last, log.LastIndex);
        Assert.Equal(model.LastTerm, log.LastTerm);
        Assert.Equal(model.CompactedTerm, log.Term(model.First - 1));
        Assert.InRange(log.DurableIndex, model.First - 1, model.Last);
    }

    private static void CheckReads(SegmentedLog log, Model model, Random random)
    {
        if (model.Last < model.First)
        {
            return;
        }
        for (var index = model.First; index <= model.Last; index++)
        {
            AssertSame(model.Get(index), log.Read(index));
            Assert.Equal(model.Get(index).Term, log.Term(index));
        }
        var lo = RandomIndex(random, model.First, model.Last);
        var hi = RandomIndex(random, lo, model.Last + 1);
        var maxBytes = random.Next(0, 3000);
        var range = new List<Entry>();
        log.ReadRange(lo, hi, maxBytes, range);
        var expected = new List<Entry>();
        long total = 0;
        for (var index = lo; index < hi; index++)
        {
            var entry = model.Get(index);
            if (expected.Count > 0 && total + entry.Data.Length > maxBytes)
            {
                break;
            }
            total += entry.Data.Length;
            expected.Add(entry);
        }
        Assert.Equal(expected.Count, range.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            AssertSame(expected[i], range[i]);
        }
    }

    private static void AssertSame(Entry expected, Entry actual)
    {
        Assert.Equal(expected.Index, actual.Index);
        Assert.Equal(expected.Term, actual.Term);
        Assert.Equal(expected.Type, actual.Type);
        Assert.True(expected.Data.Span.SequenceEqual(actual.Data.Span), $"entry {expected.Index} data differs");
    }

    private static ulong RandomIndex(Random random, ulong lo, ulong hi) => lo + (ulong)random.NextInt64(0, (long)(hi - lo + 1));

    private sealed class Model
    {
        private readonly List<Entry> _entries = [];

        public ulong First { get; private set; } = 1;
        public ulong CompactedTerm { get; private set; }
        public ulong Last => First + (ulong)_entries.Count - 1;
        public ulong LastTerm => _entries.Count > 0 ? _entries[^1].Term : CompactedTerm;

        public Entry Get(ulong index) => _entries[(int)(index - First)];

        public void Append(Entry entry) => _entries.Add(entry);

        public void TruncateFrom(ulong index) => _entries.RemoveRange((int)(index - First), (int)(Last + 1 - index));

        public void CompactThrough(ulong index)
        {
            CompactedTerm = Get(index).Term;
            _entries.RemoveRange(0, (int)(index - First + 1));
            First = index + 1;
        }

        public void Reset(ulong index, ulong term)
        {
            _entries.Clear();
            First = index + 1;
            CompactedTerm = term;
        }
    }
}
