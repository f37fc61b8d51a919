using Dst.Protocol;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests;

/// <summary>
/// Writes flagged <see cref="CommandFlags.NoOpWithoutKeys"/> are answered on the read path when all
/// their keys are missing. That is only right if applying them then changes nothing and replies the
/// same: checked here for every flagged command, with good and bad arguments, in both RESP versions.
/// </summary>
public sealed class UnchangedWritesTests
{
    // Calls on missing keys; each flagged command needs at least one (see the test below).
    private static readonly string[][] Calls =
    [
        ["DEL", "a"], ["DEL", "a", "b", "c"], ["UNLINK", "a", "b"],
        ["EXPIRE", "a", "10"], ["EXPIRE", "a", "10", "NX"], ["EXPIRE", "a", "x"], ["EXPIRE", "a", "10", "NX", "XX"],
        ["PEXPIRE", "a", "10", "GT"], ["EXPIREAT", "a", "1"], ["PEXPIREAT", "a", "1", "LT"], ["PERSIST", "a"],
        ["RENAME", "a", "b"], ["RENAMENX", "a", "b"], ["GETDEL", "a"],
        ["GETEX", "a"], ["GETEX", "a", "PERSIST"], ["GETEX", "a", "EX", "10"], ["GETEX", "a", "EX", "0"], ["GETEX", "a", "FOO"],
        ["HDEL", "a", "f", "g"],
        ["LPOP", "a"], ["LPOP", "a", "2"], ["LPOP", "a", "0"], ["LPOP", "a", "-1"], ["RPOP", "a"], ["RPOP", "a", "3"], ["RPOP", "a", "x"],
        ["LPUSHX", "a", "v"], ["RPUSHX", "a", "v", "w"],
        ["LSET", "a", "0", "v"], ["LSET", "a", "x", "v"], ["LREM", "a", "0", "v"], ["LREM", "a", "x", "v"],
        ["LTRIM", "a", "0", "-1"], ["LTRIM", "a", "x", "1"],
        ["LMOVE", "a", "b", "LEFT", "RIGHT"], ["LMOVE", "a", "b", "UP", "DOWN"], ["RPOPLPUSH", "a", "b"],
        ["SREM", "a", "m"], ["SMOVE", "a", "b", "m"], ["SPOP", "a"], ["SPOP", "a", "3"], ["SPOP", "a", "0"], ["SPOP", "a", "-1"],
        ["ZREM", "a", "m"], ["ZREMRANGEBYRANK", "a", "0", "-1"], ["ZREMRANGEBYRANK", "a", "x", "1"],
        ["ZREMRANGEBYSCORE", "a", "(1", "5"], ["ZREMRANGEBYSCORE", "a", "x", "y"],
        ["ZREMRANGEBYLEX", "a", "[a", "[z"], ["ZREMRANGEBYLEX", "a", "a", "z"],
        ["ZPOPMIN", "a"], ["ZPOPMIN", "a", "2"], ["ZPOPMIN", "a", "-1"], ["ZPOPMAX", "a"], ["ZPOPMAX", "a", "x"],
        ["str.del", "a"], ["dict.del", "a", "f"], ["list.pop", "a"], ["set.del", "a", "m"], ["zset.del", "a", "m"],
    ];

    public static TheoryData<RespVersion> Versions => new() { RespVersion.Resp2, RespVersion.Resp3 };

    [Theory]
    [MemberData(nameof(Versions))]
    public void Applying_changes_nothing_and_replies_as_the_read_path_does(RespVersion version)
    {
        foreach (var call in Calls)
        {
            var logged = new Harness(version: version);
            var unchanged = new Harness(version: version);
            var applied = logged.Run(call);
            Assert.Equal(0, logged.Machine.Keyspace.Count);
            Assert.Equal(applied, unchanged.RunUnchanged(call));
            Assert.Equal(0UL, unchanged.Machine.AppliedIndex);
        }
    }

    [Fact]
    public void Every_flagged_command_is_checked_above()
    {
        var called = Calls.Select(call => call[0].ToLowerInvariant()).ToHashSet();
        var missed = CommandTable.Default.All
            .Where(spec => (spec.Flags & CommandFlags.NoOpWithoutKeys) != 0 && !called.Contains(spec.Name))
            .Select(spec => spec.Name);
        Assert.Equal([], missed);
    }

    [Fact]
    public void Flagged_commands_name_their_keys_by_position()
    {
        foreach (var spec in CommandTable.Default.All.Where(spec => (spec.Flags & CommandFlags.NoOpWithoutKeys) != 0))
        {
            Assert.True(spec.IsWrite && spec.FirstKey > 0 && spec.KeyStep > 0 && spec.FindKeys is null, spec.Name);
            Assert.Equal(0, (int)(spec.Flags & (CommandFlags.MovableKeys | CommandFlags.Blocking)));
        }
    }

    [Fact]
    public void A_write_with_any_key_present_goes_to_the_log()
    {
        var db = new Harness();
        db.Run("SADD", "s", "m");
        db.Run("SET", "b", "v");
        Assert.Null(db.RunUnchanged("SPOP", "s"));
        Assert.Null(db.RunUnchanged("DEL", "a", "b"));
        Assert.Null(db.RunUnchanged("SMOVE", "a", "s", "m"));
        Assert.Equal(Int(1), db.Run("SCARD", "s"));
        Assert.Equal(Int(2), db.Run("DBSIZE"));
    }

    [Fact]
    public void An_expired_key_counts_as_missing_and_stays_for_expiry_to_delete()
    {
        var db = new Harness();
        db.Run("SET", "k", "v", "PX", "100");
        db.Now += 101;
        Assert.Equal(Nil, db.RunUnchanged("GETDEL", "k"));
        Assert.Equal(1, db.Machine.Keyspace.Count);
    }

    [Fact]
    public void Writes_without_the_flag_or_a_check_go_to_the_log_and_reads_are_refused()
    {
        var db = new Harness();
        db.Run("SET", "k", "v");
        Assert.Null(db.RunUnchanged("SET", "k", "v"));
        Assert.Null(db.RunUnchanged("SADD", "s", "m"));
        Assert.Throws<ArgumentException>(() => db.RunUnchanged("GET", "k"));
    }

    [Fact]
    public void Adds_of_what_is_there_are_answered_unchanged()
    {
        var db = new Harness();
        db.Run("SADD", "s", "m", "n");
        db.Run("ZADD", "z", "1", "m", "2", "n");
        db.Run("SET", "str", "v");
        var applied = db.Machine.AppliedIndex;
        foreach (var call in new[]
        {
            new[] { "SADD", "s", "m" }, ["SADD", "s", "n", "m"], ["set.add", "s", "m"],
            ["ZADD", "z", "1", "m"], ["ZADD", "z", "1e0", "m", "2", "n"], ["ZADD", "z", "CH", "1", "m"], ["ZADD", "z", "NX", "9", "m"],
            ["ZADD", "z", "XX", "9", "absent"], ["ZADD", "z", "GT", "0", "m"], ["ZADD", "z", "LT", "5", "n"], ["zset.add", "z", "2", "n"],
            ["ZADD", "z", "NX", "XX", "1", "m"],
        })
        {
            var logged = new Harness();
            logged.Run("SADD", "s", "m", "n");
            logged.Run("ZADD", "z", "1", "m", "2", "n");
            Assert.Equal(logged.Run(call), db.RunUnchanged(call));
        }
        foreach (var call in new[]
        {
            new[] { "SADD", "s", "new" }, ["SADD", "missing", "m"], ["SADD", "str", "m"], ["ZADD", "z", "3", "m"], ["ZADD", "z", "INCR", "0", "m"],
            ["ZADD", "z", "XX", "1", "m", "1", "absent", "5", "n"], ["ZADD", "z", "GT", "5", "m"], ["ZADD", "z", "1", "m", "2"], ["ZADD", "z", "x", "m"],
        })
        {
            Assert.Null(db.RunUnchanged(call));
        }
        Assert.Equal(applied, db.Machine.AppliedIndex);
    }

    [Fact]
    public void Conditional_sets_of_what_exists_are_answered_unchanged()
    {
        string[][] setup = [["SET", "k", "v"], ["HSET", "h", "f", "v"], ["LPUSH", "l", "x"]];
        var db = new Harness();
        foreach (var step in setup)
        {
            db.Run(step);
        }
        var applied = db.Machine.AppliedIndex;
        foreach (var call in new[]
        {
            new[] { "SETNX", "k", "w" }, ["SET", "k", "w", "NX"], ["SET", "k", "w", "nx", "GET"], ["SET", "l", "w", "NX", "GET"],
            ["SET", "k", "w", "EX", "NX"], ["SET", "k", "w", "NX", "XX"], ["SET", "k", "w", "PX", "10", "NX"], ["HSETNX", "h", "f", "w"],
        })
        {
            var logged = new Harness();
            foreach (var step in setup)
            {
                logged.Run(step);
            }
            Assert.Equal(logged.Run(call), db.RunUnchanged(call));
        }
        foreach (var call in new[] { new[] { "SETNX", "new", "w" }, ["SET", "k", "w"], ["SET", "k", "w", "XX"], ["SET", "new", "w", "NX"], ["HSETNX", "h", "g", "w"], ["HSETNX", "k", "f", "w"] })
        {
            Assert.Null(db.RunUnchanged(call));
        }
        Assert.Equal(applied, db.Machine.AppliedIndex);
        Assert.Equal(Bulk("v"), db.Run("GET", "k"));
    }

    [Fact]
    public void An_add_that_would_convert_the_encoding_goes_to_the_log()
    {
        var db = new Harness(StateMachineOptions.Default with { SetMaxIntsetEntries = 2 });
        db.Run("SADD", "s", "1", "2");
        Assert.Equal(Int(0), db.RunUnchanged("SADD", "s", "1", "2"));
        Assert.Null(db.RunUnchanged("SADD", "s", "1", "2", "1"));
        Assert.Equal(Int(0), db.Run("SADD", "s", "1", "2", "1"));
        Assert.Equal(Bulk("hashtable"), db.Run("OBJECT", "ENCODING", "s"));
    }

    /// <summary>
    /// The safety of <see cref="CommandSpec.WouldChangeNothing"/>: random adds against random small
    /// sets and sorted sets; whenever the check lets one through unlogged, applying it instead replies
    /// the same and leaves the key exactly as it was.
    /// </summary>
    [Fact]
    public void A_write_answered_unchanged_is_one_applying_would_not_change()
    {
        var random = new Random(20261205);
        var (unchangedCount, loggedCount) = (0, 0);
        for (var round = 0; round < 2000; round++)
        {
            var setup = RandomSetup(random);
            var call = RandomAdd(random);
            var unchanged = new Harness();
            var logged = new Harness();
            foreach (var step in setup)
            {
                unchanged.Run(step);
                logged.Run(step);
            }
            var before = Describe(unchanged);
            var reply = unchanged.RunUnchanged(call);
            Assert.Equal(before, Describe(unchanged));
            var applied = logged.Run(call);
            if (reply is null)
            {
                loggedCount++;
                continue;
            }
            unchangedCount++;
            var context = $"setup {string.Join(" | ", setup.Select(step => string.Join(' ', step)))}; call {string.Join(' ', call)}";
            Assert.True(applied == reply, $"{context}: applied {applied}, unchanged {reply}");
            Assert.True(before == Describe(logged), $"{context}: applying changed the keys");
        }
        Assert.True(unchangedCount > 100 && loggedCount > 100, $"{unchangedCount} unchanged, {loggedCount} logged");
    }

    private static readonly string[] Members = ["1", "2", "a", "b"];
    private static readonly string[] Scores = ["0", "1", "-1", "1.0", "+inf", "2"];
    private static readonly string[] ZAddFlags = ["NX", "XX", "GT", "LT", "CH", "INCR"];

    private static List<string[]> RandomSetup(Random random)
    {
        var steps = new List<string[]>();
        var set = new List<string> { "SADD", "k" };
        var zset = new List<string> { "ZADD", "k" };
        var members = random.Next(0, Members.Length + 1);
        foreach (var member in Members.OrderBy(_ => random.Next()).Take(members))
        {
            set.Add(member);
            zset.AddRange([Scores[random.Next(Scores.Length)], member]);
        }
        switch (random.Next(4))
        {
            case 0 when members > 0: steps.Add([.. set]); break;
            case 1 when members > 0: steps.Add([.. zset]); break;
            case 2: steps.Add(["SET", "k", "text"]); break;
        }
        return steps;
    }

    private static string[] RandomAdd(Random random)
    {
        var call = new List<string> { random.Next(2) == 0 ? "SADD" : "ZADD", "k" };
        if (call[0] == "SADD")
        {
            call.AddRange(Enumerable.Range(0, random.Next(1, 4)).Select(_ => Members[random.Next(Members.Length)]));
            return [.. call];
        }
        call.AddRange(ZAddFlags.Where(_ => random.Next(6) == 0));
        for (var pairs = random.Next(1, 4); pairs > 0; pairs--)
        {
            call.AddRange([Scores[random.Next(Scores.Length)], Members[random.Next(Members.Length)]]);
        }
        return [.. call];
    }

    private static string Describe(Harness db) =>
        string.Join(" ", db.Run("TYPE", "k"), db.Run("OBJECT", "ENCODING", "k"), db.Run("GET", "k"), db.Run("SMEMBERS", "k"),
            db.Run("ZRANGE", "k", "0", "-1", "WITHSCORES"));
}
