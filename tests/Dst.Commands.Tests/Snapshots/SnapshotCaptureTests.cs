namespace Dst.Commands.Tests.Snapshots;

/// <summary>
/// A captured snapshot is written while writes go on: whatever a write does to a value the capture
/// references, the written snapshot must hold the state at the capture's index, byte for byte what a
/// replica that applied only that far writes, and the live state must end as if no capture happened.
/// Each type's test covers every encoding and every write command of that type, so an in-place change
/// that skips copy-on-write shows up here.
/// </summary>
public sealed class SnapshotCaptureTests
{
    [Fact]
    public void Strings_changed_during_a_capture_are_written_as_they_were()
    {
        string[][] setup =
        [
            ["SET", "raw", "hello"], ["SET", "int", "42"], ["SET", "raw-ttl", "value", "PX", "100000"],
            ["SET", "int-ttl", "7", "PX", "100000"], ["SET", "same-shape", "abcd"], ["SET", "float", "1.5"],
            ["SET", "doomed", "x"], ["SET", "renamed", "r"], ["SET", "copied", "c"], ["MSET", "m1", "1", "m2", "2"],
            ["SET", "typed", "t"],
        ];
        string[][] changes =
        [
            ["SET", "same-shape", "wxyz"], ["SET", "int", "43"], ["SET", "raw-ttl", "VALUE", "PX", "200000"],
            ["INCR", "int"], ["DECR", "int-ttl"], ["INCRBY", "int", "10"], ["DECRBY", "int-ttl", "3"],
            ["INCRBYFLOAT", "float", "0.25"], ["APPEND", "raw", " world"], ["SETRANGE", "same-shape", "1", "Q"],
            ["GETSET", "int-ttl", "9"], ["GETEX", "raw", "PX", "5000"], ["GETEX", "raw-ttl", "PERSIST"],
            ["SETEX", "int", "100", "44"], ["PSETEX", "same-shape", "100000", "wxyz"], ["SETNX", "new", "n"],
            ["SETXX", "float", "2"], ["MSETNX", "m3", "3"], ["MSET", "m1", "11", "m2", "22"], ["GETDEL", "doomed"],
            ["EXPIRE", "m1", "100"], ["PEXPIRE", "m1", "99999"], ["EXPIREAT", "m2", "1900000000"],
            ["PEXPIREAT", "m2", "1900000000001"], ["PERSIST", "m1"], ["RENAME", "renamed", "renamed2"],
            ["RENAMENX", "renamed2", "renamed3"], ["COPY", "copied", "copy2"], ["DEL", "copied"],
            ["UNLINK", "m3"], ["str.put", "typed", "T"], ["str.del", "new"],
        ];
        AssertCaptureHoldsItsIndex(setup, changes);
    }

    [Fact]
    public void Hashes_changed_during_a_capture_are_written_as_they_were()
    {
        string[][] setup =
        [
            ["HSET", "small", "a", "1", "b", "2", "n", "5", "f", "1.5"],
            Fields("HSET", "large", 200), ["HSET", "large", "n", "5", "f", "1.5"],
            ["HSET", "grows", "a", "1"], ["HSET", "ttl", "a", "1"], ["PEXPIRE", "ttl", "100000"],
            ["HSET", "renamed", "a", "1"], ["HSET", "copied", "a", "1"], ["dict.put", "typed", "a", "1"],
        ];
        string[][] changes =
        [
            ["HSET", "small", "a", "one", "c", "3"], ["HSET", "large", "field-1", "changed", "new", "x"],
            ["HMSET", "small", "d", "4"], ["HSETNX", "large", "brand-new", "y"], ["HDEL", "small", "b"],
            ["HDEL", "large", "field-2", "field-3"], ["HINCRBY", "small", "n", "2"], ["HINCRBY", "large", "n", "-2"],
            ["HINCRBYFLOAT", "small", "f", "0.5"], ["HINCRBYFLOAT", "large", "f", "0.5"],
            ["HSET", "grows", "long", new string('v', 100)], ["PEXPIRE", "ttl", "200000"], ["PERSIST", "ttl"],
            ["HSET", "ttl", "b", "2"], ["RENAME", "renamed", "renamed2"], ["HSET", "renamed2", "b", "2"],
            ["COPY", "copied", "copy2"], ["HSET", "copy2", "b", "2"], ["HSET", "copied", "c", "3"],
            ["dict.put", "typed", "b", "2"], ["dict.del", "typed", "a"], ["DEL", "small"],
        ];
        AssertCaptureHoldsItsIndex(setup, changes);
    }

    /// <summary>
    /// A hashtable doubles in place (<c>ChunkedSlots.Doubled</c>): the chunks it moves entries out of
    /// are still the capture's, so each must be copied before its first change.
    /// </summary>
    [Fact]
    public void Collections_that_double_during_a_capture_are_written_as_they_were()
    {
        string[][] setup = [Fields("HSET", "hash", 300), Elements("SADD", "set", 300), Scored("ZADD", "zset", 300)];
        string[][] changes =
        [
            [.. Fields("HSET", "hash", 3000), "field-1", "changed"], Elements("SADD", "set", 3000), Scored("ZADD", "zset", 3000),
            ["HDEL", "hash", "field-7", "field-2999"], ["SREM", "set", "element-0", "element-2500"], ["ZREM", "zset", "member-5"],
        ];
        AssertCaptureHoldsItsIndex(setup, changes);
    }

    [Fact]
    public void Lists_changed_during_a_capture_are_written_as_they_were()
    {
        string[][] setup =
        [
            ["RPUSH", "small", "a", "b", "c", "d", "e"], Elements("RPUSH", "large", 3000),
            ["RPUSH", "source", "1", "2", "3", "4"], ["RPUSH", "ttl", "x", "y"], ["PEXPIRE", "ttl", "100000"],
            ["RPUSH", "renamed", "r"], ["RPUSH", "copied", "c"], ["list.push", "typed", "t1", "t2"],
            ["RPUSH", "blocking", "b1", "b2", "b3", "b4", "b5", "b6"],
        ];
        string[][] changes =
        [
            ["LPUSH", "small", "z"], ["RPUSH", "large", "tail"], ["LPUSHX", "large", "head"], ["RPUSHX", "small", "y"],
            ["LPOP", "small"], ["RPOP", "large", "2"], ["LSET", "small", "1", "B"], ["LSET", "large", "1500", "middle"],
            ["LREM", "small", "0", "c"], ["LREM", "large", "1", "element-7"], ["LTRIM", "large", "10", "2000"],
            ["LINSERT", "small", "BEFORE", "d", "before-d"], ["LINSERT", "large", "AFTER", "element-100", "after"],
            ["LMOVE", "source", "small", "LEFT", "RIGHT"], ["RPOPLPUSH", "source", "large"], ["LMPOP", "1", "source", "LEFT"],
            ["LMOVE", "small", "small", "LEFT", "RIGHT"], ["BLPOP", "blocking", "0"], ["BRPOP", "blocking", "0"],
            ["BLMOVE", "blocking", "small", "LEFT", "LEFT", "0"], ["BRPOPLPUSH", "blocking", "large", "0"],
            ["BLMPOP", "0", "1", "blocking", "RIGHT"], ["PEXPIRE", "ttl", "5"], ["RPUSH", "ttl", "z"],
            ["RENAME", "renamed", "renamed2"], ["RPUSH", "renamed2", "s"], ["COPY", "copied", "copy2"],
            ["RPUSH", "copied", "d"], ["list.push", "typed", "t3"], ["list.pop", "typed"], ["UNLINK", "small"],
        ];
        AssertCaptureHoldsItsIndex(setup, changes);
    }

    [Fact]
    public void Sets_changed_during_a_capture_are_written_as_they_were()
    {
        string[][] setup =
        [
            ["SADD", "ints", "1", "2", "3", "4"], ["SADD", "small", "a", "b", "c", "d"], Elements("SADD", "large", 300),
            ["SADD", "other", "a", "x", "element-1"], ["SADD", "ttl", "t"], ["PEXPIRE", "ttl", "100000"],
            ["SADD", "renamed", "r"], ["SADD", "copied", "c"], ["set.add", "typed", "t1", "t2"],
        ];
        string[][] changes =
        [
            ["SADD", "ints", "100000"], ["SADD", "ints", "not-an-int"], ["SADD", "small", "e"], ["SADD", "large", "more"],
            ["SREM", "small", "a"], ["SREM", "large", "element-5"], ["SMOVE", "small", "ints", "b"],
            ["SMOVE", "large", "other", "element-9"], ["SPOP", "large", "3"], ["SPOP", "small"],
            ["SINTERSTORE", "inter", "large", "other"], ["SUNIONSTORE", "other", "other", "small"],
            ["SDIFFSTORE", "large", "large", "other"], ["SADD", "ttl", "u"], ["PERSIST", "ttl"],
            ["RENAME", "renamed", "renamed2"], ["SADD", "renamed2", "s"], ["COPY", "copied", "copy2"],
            ["SADD", "copied", "d"], ["set.add", "typed", "t3"], ["set.del", "typed", "t1"], ["DEL", "ints"],
        ];
        AssertCaptureHoldsItsIndex(setup, changes);
    }

    [Fact]
    public void Sorted_sets_changed_during_a_capture_are_written_as_they_were()
    {
        string[][] setup =
        [
            ["ZADD", "small", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"], Scored("ZADD", "large", 300),
            ["ZADD", "other", "1", "a", "7", "member-7"], ["ZADD", "ttl", "1", "t"], ["PEXPIRE", "ttl", "100000"],
            ["ZADD", "renamed", "1", "r"], ["ZADD", "copied", "1", "c"], ["zset.add", "typed", "1", "t1", "2", "t2"],
            ["ZADD", "blocking", "1", "x", "2", "y", "3", "z"],
        ];
        string[][] changes =
        [
            ["ZADD", "small", "10", "a", "6", "f"], ["ZADD", "large", "-1", "member-1", "1000", "new"],
            ["ZADD", "small", "INCR", "1", "b"], ["ZINCRBY", "large", "5", "member-2"], ["ZINCRBY", "small", "0.5", "c"],
            ["ZREM", "small", "d"], ["ZREM", "large", "member-3"], ["ZREMRANGEBYRANK", "large", "0", "4"],
            ["ZREMRANGEBYSCORE", "large", "50", "60"], ["ZREMRANGEBYLEX", "small", "[e", "[e"], ["ZPOPMIN", "large"],
            ["ZPOPMAX", "small"], ["ZMPOP", "1", "large", "MIN", "COUNT", "2"], ["BZPOPMIN", "blocking", "0"],
            ["BZPOPMAX", "blocking", "0"], ["BZMPOP", "0", "1", "blocking", "MIN"], ["ZRANGESTORE", "range", "large", "0", "9"],
            ["ZUNIONSTORE", "other", "2", "other", "small"], ["ZINTERSTORE", "inter", "2", "large", "other"],
            ["ZDIFFSTORE", "large", "2", "large", "small"], ["ZADD", "ttl", "2", "u"], ["PERSIST", "ttl"],
            ["RENAME", "renamed", "renamed2"], ["ZADD", "renamed2", "2", "s"], ["COPY", "copied", "copy2"],
            ["ZINCRBY", "copied", "1", "c"], ["zset.add", "typed", "3", "t3"], ["zset.del", "typed", "t1"],
        ];
        AssertCaptureHoldsItsIndex(setup, changes);
    }

    [Fact]
    public void Flushes_and_watched_key_indexes_during_a_capture_leave_it_alone()
    {
        string[][] setup = [["SET", "a", "1"], ["HSET", "h", "f", "v"], ["RPUSH", "l", "x"], ["SET", "b", "2"]];
        string[][] changes = [["SET", "a", "2"], ["FLUSHDB"], ["SET", "c", "3"], ["FLUSHALL"], ["RPUSH", "l", "y"]];
        AssertCaptureHoldsItsIndex(setup, changes);
    }

    [Fact]
    public async Task A_capture_written_on_another_thread_while_writes_go_on_holds_its_index()
    {
        var live = new Harness();
        var atCapture = new Harness();
        var afterwards = new Harness();
        for (var i = 0; i < 20_000; i++)
        {
            foreach (var command in MixedCommands(i))
            {
                live.Run(command);
                atCapture.Run(command);
                afterwards.Run(command);
            }
        }
        using var image = live.Machine.CaptureSnapshot();
        var written = Task.Run(() => Write(image));
        // Keep writing every kind of value until the snapshot is done, at least one full pass.
        for (var round = 0; round < 3 || !written.IsCompleted; round++)
        {
            for (var i = round % 7; i < 20_000; i += 97)
            {
                foreach (var command in Changes(i, round))
                {
                    Assert.Equal(afterwards.Run(command), live.Run(command));
                }
            }
        }
        Assert.Equal(atCapture.Snapshot(), await written);
        image.Dispose();
        Assert.Equal(afterwards.Snapshot(), live.Snapshot());
    }

    /// <summary>
    /// Large hashes, sets and sorted sets (many slot chunks, skiplist encoding) are copied by chunk
    /// and share their entries: random writes, copies and renames during and between captures, each
    /// capture written equal to the stop-the-world snapshot at its index, the live state equal to a
    /// replica that never captured.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Large_collections_written_at_random_during_captures_are_written_as_they_were(int seed)
    {
        var random = new Random(seed);
        var live = new Harness();
        var replica = new Harness();
        var applied = new List<string[]>();
        void Apply(string[] command)
        {
            var reply = live.Run(command);
            Assert.Equal(replica.Run(command), reply);
            applied.Add(command);
        }
        Apply(Fields("HSET", "hash", 5000));
        Apply(Elements("SADD", "set", 5000));
        Apply(Scored("ZADD", "zset", 5000));
        for (var round = 0; round < 4; round++)
        {
            var atCapture = new Harness();
            foreach (var command in applied)
            {
                atCapture.Run(command);
            }
            var image = live.Machine.CaptureSnapshot();
            for (var step = 0; step < 300; step++)
            {
                Apply(RandomLargeWrite(random, step));
            }
            Assert.Equal(atCapture.Snapshot(), Write(image));
            image.Dispose();
            // Between captures the tables still share chunks with the disposed capture's objects.
            for (var step = 0; step < 300; step++)
            {
                Apply(RandomLargeWrite(random, step));
            }
            Assert.Equal(replica.Snapshot(), live.Snapshot());
        }
    }

    /// <summary>
    /// Copy-on-write copies what is written, not the collection: after a capture, 200 writes to a
    /// 200,000-element hash, set or sorted set allocate a small fraction of what copying its slots
    /// (12 bytes each, over 6 MB) would. Whole-object copying allocated 6.3 MB (hash, set) and 17.9 MB
    /// (sorted set, whose entries were copied too) here.
    /// </summary>
    [Theory]
    [InlineData("HSET")]
    [InlineData("SADD")]
    [InlineData("ZADD")]
    public void A_capture_costs_memory_in_proportion_to_the_writes_not_the_collection(string add)
    {
        const int size = 200_000;
        var harness = new Harness();
        for (var batch = 0; batch < size / 1000; batch++)
        {
            var range = Enumerable.Range(batch * 1000, 1000);
            harness.Run(add switch
            {
                "HSET" => ["HSET", "big", .. range.SelectMany(i => new[] { $"field-{i}", "value" })],
                "SADD" => ["SADD", "big", .. range.Select(i => $"element-{i}")],
                _ => ["ZADD", "big", .. range.SelectMany(i => new[] { $"{i}", $"member-{i}" })],
            });
        }
        string[][] writes = [.. Enumerable.Range(0, 200).Select(i => add switch
        {
            "HSET" => new[] { "HSET", "big", $"field-{i * 997}", "changed" },
            "SADD" => new[] { "SREM", "big", $"element-{i * 997}" },
            _ => new[] { "ZADD", "big", "-1", $"member-{i * 997}" },
        })];
        long allocated;
        using (harness.Machine.CaptureSnapshot())
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            foreach (var write in writes)
            {
                harness.Run(write);
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.InRange(allocated, 0, 1_500_000);
    }

    [Fact]
    public void Writing_an_image_stops_when_cancelled()
    {
        var source = new Harness();
        for (var i = 0; i < 10_000; i++)
        {
            source.Run("SET", $"k{i}", "v");
        }
        using var image = source.Machine.CaptureSnapshot();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => image.WriteTo(Stream.Null, cancelled.Token));
    }

    /// <summary>
    /// Applies <paramref name="setup"/> to three state machines, captures one, applies
    /// <paramref name="changes"/> to it (and to a second one), then writes the capture: it must equal the
    /// snapshot of the one that stopped at the capture and load, and the live state must equal the one
    /// that never had a capture.
    /// </summary>
    private static void AssertCaptureHoldsItsIndex(string[][] setup, string[][] changes)
    {
        var live = new Harness();
        var atCapture = new Harness();
        var afterwards = new Harness();
        foreach (var command in setup)
        {
            live.Run(command);
            atCapture.Run(command);
            afterwards.Run(command);
        }
        using var image = live.Machine.CaptureSnapshot();
        Assert.Equal(atCapture.Machine.AppliedIndex, image.AppliedIndex);
        foreach (var command in changes)
        {
            var reply = live.Run(command);
            Assert.Equal(afterwards.Run(command), reply);
            Assert.DoesNotContain("ERR", reply, StringComparison.Ordinal);
        }

        var written = Write(image);
        var expected = atCapture.Snapshot();
        Assert.Equal(expected, written);
        var restored = new Harness();
        restored.Machine.LoadSnapshot(new MemoryStream(written));
        Assert.Equal(atCapture.Machine.AppliedIndex, restored.Machine.AppliedIndex);
        Assert.Equal(atCapture.Machine.Keyspace.Count, restored.Machine.Keyspace.Count);
        image.Dispose();
        Assert.Equal(afterwards.Snapshot(), live.Snapshot());
    }

    private static byte[] Write(Dst.Commands.Snapshots.StateImage image)
    {
        using var stream = new MemoryStream();
        image.WriteTo(stream);
        return stream.ToArray();
    }

    private static string[] Fields(string command, string key, int count) =>
        [command, key, .. Enumerable.Range(0, count).SelectMany(i => new[] { $"field-{i}", $"value-{i}" })];

    private static string[] Elements(string command, string key, int count) =>
        [command, key, .. Enumerable.Range(0, count).Select(i => $"element-{i}")];

    private static string[] Scored(string command, string key, int count) =>
        [command, key, .. Enumerable.Range(0, count).SelectMany(i => new[] { i.ToString(), $"member-{i}" })];

    private static readonly string[] LargeKeys = ["hash", "set", "zset"];

    private static string[] RandomLargeWrite(Random random, int step)
    {
        var n = random.Next(8000);
        return random.Next(16) switch
        {
            0 => ["HSET", "hash", $"field-{n}", $"v{step}"],
            1 => ["HDEL", "hash", $"field-{n}", $"field-{n + 1}"],
            2 => ["HINCRBY", "hash", $"counter-{n % 50}", "1"],
            3 => ["SADD", "set", $"element-{n}"],
            4 => ["SREM", "set", $"element-{n}"],
            5 => ["SPOP", "set"],
            6 => ["ZADD", "zset", $"{random.Next(-100, 100)}", $"member-{n}"],
            7 => ["ZINCRBY", "zset", "1.5", $"member-{n}"],
            8 => ["ZREM", "zset", $"member-{n}"],
            9 => ["ZPOPMIN", "zset"],
            10 => ["ZREMRANGEBYRANK", "zset", "-3", "-1"],
            11 => ["COPY", LargeKeys[n % 3], $"copy-{n % 3}", "REPLACE"],
            12 => ["HSET", "copy-0", $"field-{n}", "copied"],
            13 => ["SADD", "copy-1", $"element-{n}"],
            14 => ["ZADD", "copy-2", "7", $"member-{n}"],
            _ => ["RENAME", "hash", "hash"],
        };
    }

    private static string[][] MixedCommands(int i) => (i % 5) switch
    {
        0 => [["SET", $"s{i}", $"value-{i}"], ["SET", $"n{i}", i.ToString(), "PX", "1000000"]],
        1 => [["HSET", $"h{i}", "a", "1", "b", "2"]],
        2 => [["RPUSH", $"l{i}", "a", "b", "c"]],
        3 => [["SADD", $"t{i}", "1", "2", "x"]],
        _ => [["ZADD", $"z{i}", "1", "a", "2", "b"]],
    };

    private static string[][] Changes(int i, int round) => (i % 5) switch
    {
        0 => [["INCR", $"n{i}"], ["APPEND", $"s{i}", "+"], ["SET", $"s{i}", $"VALUE-{i}"], ["PEXPIRE", $"n{i}", $"{2_000_000 + round}"]],
        1 => [["HINCRBY", $"h{i}", "a", "1"], ["HSET", $"h{i}", $"f{round}", "v"], ["HDEL", $"h{i}", "b"]],
        2 => [["LPUSH", $"l{i}", $"{round}"], ["LSET", $"l{i}", "1", "changed"], ["RPOP", $"l{i}"]],
        3 => [["SADD", $"t{i}", $"m{round}"], ["SREM", $"t{i}", "1"]],
        _ => [["ZINCRBY", $"z{i}", "1", "a"], ["ZADD", $"z{i}", $"{round}", $"m{round}"], ["PERSIST", $"z{i}"]],
    };
}
