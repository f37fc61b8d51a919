using Dst.Commands.KeySpecs;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.KeySpecs;

/// <summary>
/// COMMAND GETKEYS and GETKEYSANDFLAGS, for the commands whose keys follow a count and for the
/// table as a whole. The expected replies are what redis-server 7.0.15 answers to the same calls.
/// </summary>
public sealed class CommandKeysTests
{
    private const string InvalidArguments = "-ERR Invalid arguments specified for command\r\n";

    private readonly Harness _db = new();

    [Theory]
    [InlineData("LMPOP 2 a b LEFT", "a b")]
    [InlineData("LMPOP 2 a LEFT", "a LEFT")]
    [InlineData("BLMPOP 0 2 a b LEFT", "a b")]
    [InlineData("ZMPOP 1 a MIN", "a")]
    [InlineData("BZMPOP 0 1 a MIN", "a")]
    [InlineData("ZUNION 2 a b", "a b")]
    [InlineData("ZUNION 2 a b WEIGHTS 1 2", "a b")]
    [InlineData("ZUNION 1 a b c", "a")]
    [InlineData("ZINTER 2 a b", "a b")]
    [InlineData("ZDIFF 2 a b", "a b")]
    [InlineData("ZUNIONSTORE d 2 a b", "d a b")]
    [InlineData("ZINTERSTORE d 1 a", "d a")]
    [InlineData("ZDIFFSTORE d 2 a b", "d a b")]
    [InlineData("SINTERCARD 2 a b LIMIT 3", "a b")]
    [InlineData("LMOVE a b LEFT RIGHT", "a b")]
    public void Keys_after_a_count(string call, string keys)
    {
        Assert.Equal(Bulks(keys.Split(' ')), _db.Run(["COMMAND", "GETKEYS", .. call.Split(' ')]));
    }

    [Theory]
    [InlineData("LMPOP 0 a LEFT")]
    [InlineData("LMPOP x a LEFT")]
    [InlineData("LMPOP 3 a LEFT")]
    [InlineData("LMPOP -1 a LEFT")]
    [InlineData("ZINTERSTORE d 0 a")]
    [InlineData("ZDIFFSTORE d 3 a b")]
    [InlineData("ZUNIONSTORE d 2 a")]
    [InlineData("SINTERCARD 2 a")]
    [InlineData("ZUNION 2 a")]
    [InlineData("ZUNION abc a")]
    public void A_count_that_does_not_fit_names_no_keys(string call)
    {
        Assert.Equal(InvalidArguments, _db.Run(["COMMAND", "GETKEYS", .. call.Split(' ')]));
    }

    /// <summary>Redis's getkeys_proc fallback reads the count with atoi and lists the destination last.</summary>
    [Theory]
    [InlineData("LMPOP 1x a LEFT", "a")]
    [InlineData("LMPOP 01 a LEFT", "a")]
    [InlineData("SINTERCARD 1x a", "a")]
    [InlineData("ZUNIONSTORE d 1x a", "a d")]
    public void A_count_only_atoi_reads_falls_back_like_redis(string call, string keys)
    {
        Assert.Equal(Bulks(keys.Split(' ')), _db.Run(["COMMAND", "GETKEYS", .. call.Split(' ')]));
    }

    [Fact]
    public void Getkeysandflags_reports_each_keys_redis_flags()
    {
        Assert.Equal(
            Array(Array(Bulk("d"), Set("OW", "update")), Array(Bulk("a"), Set("RO", "access")), Array(Bulk("b"), Set("RO", "access"))),
            _db.Run("COMMAND", "GETKEYSANDFLAGS", "ZUNIONSTORE", "d", "2", "a", "b"));
        Assert.Equal(
            Array(Array(Bulk("a"), Set("RW", "access", "delete")), Array(Bulk("b"), Set("RW", "insert"))),
            _db.Run("COMMAND", "GETKEYSANDFLAGS", "LMOVE", "a", "b", "LEFT", "RIGHT"));
        Assert.Equal(Array(Array(Bulk("k"), Set("OW", "update"))), _db.Run("COMMAND", "GETKEYSANDFLAGS", "SET", "k", "v"));
        Assert.Equal(Array(Array(Bulk("k"), Set("RW", "access", "update"))), _db.Run("COMMAND", "GETKEYSANDFLAGS", "SET", "k", "v", "EX", "5", "get"));
        Assert.Equal(Array(Array(Bulk("a"), Set()), Array(Bulk("d"), Set())), _db.Run("COMMAND", "GETKEYSANDFLAGS", "ZUNIONSTORE", "d", "1x", "a"));
        Assert.Equal(
            Array(Array(Bulk("a"), Set("RW", "access", "delete")), Array(Bulk("b"), Set("RW", "access", "delete"))),
            _db.Run("COMMAND", "GETKEYSANDFLAGS", "LMPOP", "2", "a", "b", "LEFT"));
        Assert.Equal(Err("ERR wrong number of arguments for 'command|getkeysandflags' command"), _db.Run("COMMAND", "GETKEYSANDFLAGS", "GET"));
    }

    /// <summary>COMMAND INFO's key specs as redis-server 7.0.15 shows them (all 159 Redis commands with keys were compared).</summary>
    [Fact]
    public void Command_info_shows_redis_key_specs()
    {
        var zunionstore = _db.Run("COMMAND", "INFO", "ZUNIONSTORE");
        Assert.Contains("*2\r\n*6\r\n$5\r\nflags\r\n*2\r\n+OW\r\n+update\r\n", zunionstore);
        Assert.Contains("$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$6\r\nkeynum\r\n$4\r\nspec\r\n*6\r\n$9\r\nkeynumidx\r\n:0\r\n$8\r\nfirstkey\r\n:1\r\n$7\r\nkeystep\r\n:1\r\n", zunionstore);
        var lmove = _db.Run("COMMAND", "INFO", "LMOVE");
        Assert.Contains("*2\r\n*6\r\n$5\r\nflags\r\n*3\r\n+RW\r\n+access\r\n+delete\r\n", lmove);
        Assert.Contains("*2\r\n+RW\r\n+insert\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:2\r\n", lmove);
        Assert.Contains("+variable_flags\r\n", _db.Run("COMMAND", "INFO", "SET"));
        Assert.Contains("$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:2\r\n", _db.Run("COMMAND", "INFO", "MSET"));
    }

    [Fact]
    public void Every_movable_key_command_has_a_key_finder_and_every_keyed_command_its_flags()
    {
        foreach (var spec in CommandTable.Default.All)
        {
            Assert.True(((spec.Flags & CommandFlags.MovableKeys) != 0) == (spec.FindKeys is not null && spec.Name != "set"), spec.Name);
            Assert.True(!spec.NamesKeys || spec.KeyFlagSets.Count > 0, $"{spec.Name} has keys but no key flags");
        }
    }

    /// <summary>The apply path marks SET's keys from first/last/step; its finder may only add flags to the same position.</summary>
    [Fact]
    public void A_finder_on_a_spec_without_movable_keys_finds_the_first_last_step_keys()
    {
        foreach (var spec in CommandTable.Default.All.Where(s => s.FindKeys is not null && (s.Flags & CommandFlags.MovableKeys) == 0))
        {
            using var args = Harness.Args(spec.Name, "k", "v", "GET");
            var found = new List<KeyReference>();
            Assert.True(spec.FindKeys!(args, found));
            Assert.Equal([spec.FirstKey], found.Select(k => k.Position));
        }
    }

    private static string Set(params string[] items) => $"*{items.Length}\r\n{string.Concat(items.Select(Status))}";
}
