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
    public void Commands_without_the_flag_are_refused()
    {
        var db = new Harness();
        Assert.Throws<ArgumentException>(() => db.RunUnchanged("SADD", "s", "m"));
        Assert.Throws<ArgumentException>(() => db.RunUnchanged("GET", "k"));
    }
}
