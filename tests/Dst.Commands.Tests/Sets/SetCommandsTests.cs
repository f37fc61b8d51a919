using Dst.Protocol;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.Sets;

public sealed class SetCommandsTests
{
    private readonly Harness _db = new();

    [Fact]
    public void Sadd_srem_scard_sismember()
    {
        Assert.Equal(Int(3), _db.Run("SADD", "s", "a", "b", "c", "a"));
        Assert.Equal(Int(1), _db.Run("SADD", "s", "a", "d"));
        Assert.Equal(Int(4), _db.Run("SCARD", "s"));
        Assert.Equal(Int(1), _db.Run("SISMEMBER", "s", "d"));
        Assert.Equal(Int(0), _db.Run("SISMEMBER", "s", "zz"));
        Assert.Equal(Int(0), _db.Run("SISMEMBER", "missing", "a"));
        Assert.Equal(Array(Int(1), Int(0), Int(1)), _db.Run("SMISMEMBER", "s", "a", "x", "b"));
        Assert.Equal(Array(Int(0)), _db.Run("SMISMEMBER", "missing", "a"));
        Assert.Equal(Int(2), _db.Run("SREM", "s", "a", "b", "zz"));
        Assert.Equal(Int(2), _db.Run("SREM", "s", "c", "d"));
        Assert.Equal(Int(0), _db.Run("EXISTS", "s"));
        Assert.Equal(Int(0), _db.Run("SCARD", "s"));
        Assert.Equal(Status("none"), _db.Run("TYPE", "s"));
    }

    [Fact]
    public void Smembers_of_an_intset_is_sorted_and_of_a_listpack_in_insertion_order()
    {
        _db.Run("SADD", "ints", "30", "-5", "7");
        Assert.Equal(Bulks("-5", "7", "30"), _db.Run("SMEMBERS", "ints"));
        _db.Run("SADD", "strs", "z", "a", "m");
        Assert.Equal(Bulks("z", "a", "m"), _db.Run("SMEMBERS", "strs"));
        Assert.Equal("*0\r\n", _db.Run("SMEMBERS", "missing"));
        var resp3 = new Harness(version: RespVersion.Resp3);
        resp3.Run("SADD", "s", "1");
        Assert.Equal("~1\r\n" + Bulk("1"), resp3.Run("SMEMBERS", "s"));
    }

    [Fact]
    public void Integers_are_members_by_their_canonical_text()
    {
        _db.Run("SADD", "s", "1", "2");
        Assert.Equal(Int(0), _db.Run("SISMEMBER", "s", "01"));
        Assert.Equal(Int(0), _db.Run("SREM", "s", "+1"));
        Assert.Equal(Int(1), _db.Run("SADD", "s", "01"));
        Assert.Equal(Int(1), _db.Run("SISMEMBER", "s", "01"));
        Assert.Equal(Int(1), _db.Run("SISMEMBER", "s", "1"));
        Assert.Equal(Int(3), _db.Run("SCARD", "s"));
    }

    [Fact]
    public void Smove_moves_a_member_and_follows_redis_checks()
    {
        _db.Run("SADD", "a", "x", "y");
        _db.Run("SET", "str", "v");
        Assert.Equal(Int(1), _db.Run("SMOVE", "a", "b", "x"));
        Assert.Equal(Bulks("y"), _db.Run("SMEMBERS", "a"));
        Assert.Equal(Bulks("x"), _db.Run("SMEMBERS", "b"));
        Assert.Equal(Int(0), _db.Run("SMOVE", "a", "b", "nope"));
        Assert.Equal(Int(0), _db.Run("SMOVE", "missing", "str", "x"));
        Assert.Equal(WrongType, _db.Run("SMOVE", "a", "str", "y"));
        Assert.Equal(WrongType, _db.Run("SMOVE", "str", "a", "y"));
        Assert.Equal(Int(1), _db.Run("SMOVE", "a", "a", "y"));
        Assert.Equal(Int(0), _db.Run("SMOVE", "a", "a", "x"));
        Assert.Equal(Int(1), _db.Run("SMOVE", "a", "b", "y"));
        Assert.Equal(Int(0), _db.Run("EXISTS", "a"));
        Assert.Equal(Int(2), _db.Run("SCARD", "b"));
    }

    [Fact]
    public void Spop_removes_what_it_returns()
    {
        _db.Run("SADD", "s", "a", "b", "c", "d", "e");
        var popped = Members(_db.Run("SPOP", "s", "2"));
        Assert.Equal(2, popped.Count);
        Assert.Equal(Int(3), _db.Run("SCARD", "s"));
        foreach (var member in popped)
        {
            Assert.Equal(Int(0), _db.Run("SISMEMBER", "s", member));
        }
        var single = _db.Run("SPOP", "s");
        Assert.StartsWith("$1\r\n", single);
        Assert.Equal(Int(2), _db.Run("SCARD", "s"));
        Assert.Equal(2, Members(_db.Run("SPOP", "s", "10")).Count);
        Assert.Equal(Int(0), _db.Run("EXISTS", "s"));
        Assert.Equal(Nil, _db.Run("SPOP", "s"));
        Assert.Equal("*0\r\n", _db.Run("SPOP", "s", "3"));
        _db.Run("SADD", "s", "a");
        Assert.Equal("*0\r\n", _db.Run("SPOP", "s", "0"));
        Assert.Equal(Err("ERR value is out of range, must be positive"), _db.Run("SPOP", "s", "-1"));
        Assert.Equal(NotInteger, _db.Run("SPOP", "s", "x"));
        Assert.Equal(Syntax, _db.Run("SPOP", "s", "1", "2"));
        Assert.Equal(Int(1), _db.Run("SCARD", "s"));
    }

    [Fact]
    public void Spop_is_deterministic_for_the_same_log()
    {
        var first = new Harness();
        var second = new Harness();
        foreach (var db in new[] { first, second })
        {
            db.Run(["SADD", "small", .. Enumerable.Range(0, 50).Select(i => $"m{i}")]);
            db.Run(["SADD", "big", .. Enumerable.Range(0, 1000).Select(i => $"m{i}")]);
        }
        for (var i = 0; i < 20; i++)
        {
            first.Now += 3;
            second.Now += 3;
            Assert.Equal(first.Run("SPOP", "small"), second.Run("SPOP", "small"));
            Assert.Equal(first.Run("SPOP", "big", "7"), second.Run("SPOP", "big", "7"));
        }
        Assert.Equal(first.Run("SMEMBERS", "big"), second.Run("SMEMBERS", "big"));
    }

    [Fact]
    public void Srandmember_counts()
    {
        _db.Run("SADD", "s", "a", "b", "c", "d", "e");
        Assert.Equal(Nil, _db.Run("SRANDMEMBER", "missing"));
        Assert.Equal("*0\r\n", _db.Run("SRANDMEMBER", "missing", "3"));
        Assert.Equal("*0\r\n", _db.Run("SRANDMEMBER", "s", "0"));
        var distinct = Members(_db.Run("SRANDMEMBER", "s", "3"));
        Assert.Equal(3, distinct.Distinct().Count());
        Assert.Equal(5, Members(_db.Run("SRANDMEMBER", "s", "50")).Distinct().Count());
        var repeats = Members(_db.Run("SRANDMEMBER", "s", "-20"));
        Assert.Equal(20, repeats.Count);
        Assert.All(repeats, member => Assert.Contains(member, new[] { "a", "b", "c", "d", "e" }));
        Assert.Equal(Syntax, _db.Run("SRANDMEMBER", "s", "1", "2"));
        Assert.Equal(NotInteger, _db.Run("SRANDMEMBER", "s", "x"));
        const string OutsideLong = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";
        Assert.Equal(Err(OutsideLong), _db.Run("SRANDMEMBER", "s", "-9223372036854775808")); // Redis's words
        _db.Run("HSET", "h", "f", "v");
        Assert.Equal(Err(OutsideLong), _db.Run("HRANDFIELD", "h", "-9223372036854775808"));
        Assert.Equal(Int(5), _db.Run("SCARD", "s"));
    }

    [Fact]
    public void Srandmember_distinct_picks_from_a_big_table()
    {
        _db.Run(["SADD", "s", .. Enumerable.Range(0, 2000).Select(i => $"m{i}")]);
        var few = Members(_db.Run("SRANDMEMBER", "s", "10"));
        Assert.Equal(10, few.Distinct().Count());
        var many = Members(_db.Run("SRANDMEMBER", "s", "1500"));
        Assert.Equal(1500, many.Distinct().Count());
        Assert.All(many, member => Assert.StartsWith("m", member));
    }

    [Fact]
    public void Sinter_sunion_sdiff_and_their_store_forms()
    {
        _db.Run("SADD", "a", "1", "2", "3", "x");
        _db.Run("SADD", "b", "2", "3", "4");
        _db.Run("SADD", "c", "3", "x", "2");
        Assert.Equal(Bulks("2", "3"), Sorted(_db.Run("SINTER", "a", "b", "c")));
        Assert.Equal("*0\r\n", _db.Run("SINTER", "a", "missing"));
        Assert.Equal(Bulks("1", "2", "3", "4", "x"), Sorted(_db.Run("SUNION", "a", "b", "missing")));
        Assert.Equal(Bulks("1", "x"), Sorted(_db.Run("SDIFF", "a", "b")));
        Assert.Equal(Bulks("1"), Sorted(_db.Run("SDIFF", "a", "b", "c")));
        Assert.Equal("*0\r\n", _db.Run("SDIFF", "missing", "a"));
        Assert.Equal(Int(2), _db.Run("SINTERSTORE", "d", "a", "b"));
        Assert.Equal(Bulks("2", "3"), _db.Run("SMEMBERS", "d"));
        Assert.Equal(Int(5), _db.Run("SUNIONSTORE", "d", "a", "b"));
        Assert.Equal(Int(2), _db.Run("SDIFFSTORE", "a", "a", "b"));
        Assert.Equal(Bulks("1", "x"), Sorted(_db.Run("SMEMBERS", "a")));
        _db.Run("SET", "str", "v");
        _db.Run("EXPIRE", "d", "100");
        Assert.Equal(Int(5), _db.Run("SUNIONSTORE", "str", "b", "a"));
        Assert.Equal(Status("set"), _db.Run("TYPE", "str"));
        Assert.Equal(Int(0), _db.Run("SINTERSTORE", "d", "a", "missing"));
        Assert.Equal(Int(0), _db.Run("EXISTS", "d"));
        _db.Run("SET", "str2", "v");
        Assert.Equal(WrongType, _db.Run("SINTER", "a", "str2", "b"));
        Assert.Equal(WrongType, _db.Run("SINTER", "missing", "str2"));
        Assert.Equal(WrongType, _db.Run("SUNIONSTORE", "d", "a", "str2"));
        Assert.Equal(WrongType, _db.Run("SDIFF", "a", "str2"));
    }

    [Fact]
    public void Sintercard_counts_with_a_limit_and_checks_numkeys()
    {
        _db.Run("SADD", "a", "1", "2", "3", "4");
        _db.Run("SADD", "b", "2", "3", "4", "5");
        Assert.Equal(Int(3), _db.Run("SINTERCARD", "2", "a", "b"));
        Assert.Equal(Int(2), _db.Run("SINTERCARD", "2", "a", "b", "LIMIT", "2"));
        Assert.Equal(Int(3), _db.Run("SINTERCARD", "2", "a", "b", "limit", "0"));
        Assert.Equal(Int(0), _db.Run("SINTERCARD", "2", "a", "missing"));
        Assert.Equal(Err("ERR numkeys should be greater than 0"), _db.Run("SINTERCARD", "0", "a"));
        Assert.Equal(Err("ERR numkeys should be greater than 0"), _db.Run("SINTERCARD", "x", "a"));
        Assert.Equal(Err("ERR Number of keys can't be greater than number of args"), _db.Run("SINTERCARD", "3", "a", "b"));
        Assert.Equal(Err("ERR LIMIT can't be negative"), _db.Run("SINTERCARD", "2", "a", "b", "LIMIT", "-1"));
        Assert.Equal(Syntax, _db.Run("SINTERCARD", "1", "a", "b"));
        Assert.Equal(Syntax, _db.Run("SINTERCARD", "2", "a", "b", "LIMIT"));
    }

    [Fact]
    public void Every_set_command_refuses_another_type()
    {
        _db.Run("HSET", "h", "f", "v");
        string[][] commands =
        [
            ["SADD", "h", "a"], ["SREM", "h", "a"], ["SMEMBERS", "h"], ["SISMEMBER", "h", "a"], ["SMISMEMBER", "h", "a"],
            ["SCARD", "h"], ["SPOP", "h"], ["SPOP", "h", "1"], ["SRANDMEMBER", "h"], ["SRANDMEMBER", "h", "2"],
            ["SINTER", "h"], ["SINTERCARD", "1", "h"], ["SINTERSTORE", "d", "h"], ["SUNION", "h"], ["SUNIONSTORE", "d", "h"],
            ["SDIFF", "h"], ["SDIFFSTORE", "d", "h"], ["SSCAN", "h", "0"],
        ];
        foreach (var command in commands)
        {
            Assert.True(WrongType == _db.Run(command), string.Join(' ', command));
        }
        Assert.Equal(Bulk("v"), _db.Run("HGET", "h", "f"));
    }

    [Theory]
    [InlineData("SADD", 3)]
    [InlineData("SREM", 3)]
    [InlineData("SMEMBERS", 2)]
    [InlineData("SISMEMBER", 3)]
    [InlineData("SMOVE", 4)]
    [InlineData("SINTERCARD", 3)]
    [InlineData("SINTERSTORE", 3)]
    [InlineData("SPOP", 2)]
    public void Arity_is_checked_by_the_table(string command, int minimum)
    {
        var words = new[] { command }.Concat(Enumerable.Repeat("x", minimum - 2)).ToArray();
        Assert.Equal(Err($"ERR wrong number of arguments for '{command.ToLowerInvariant()}' command"), _db.Run(words));
    }

    /// <summary>The bulk strings of a flat RESP2 array reply.</summary>
    internal static List<string> Members(string reply)
    {
        var lines = reply.Split("\r\n");
        var members = new List<string>();
        for (var i = 1; i + 1 < lines.Length; i += 2)
        {
            Assert.StartsWith("$", lines[i]);
            members.Add(lines[i + 1]);
        }
        return members;
    }

    private static string Sorted(string reply) => Bulks([.. Members(reply).Order(StringComparer.Ordinal)]);
}
