using Dst.Protocol;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.SortedSets;

public sealed class SortedSetCommandsTests
{
    private readonly Harness _db = new();

    private void Seed() => _db.Run("ZADD", "z", "1", "a", "2", "b", "3", "c", "3", "d", "10", "e");

    [Fact]
    public void Zadd_adds_updates_and_orders_by_score_then_member()
    {
        Assert.Equal(Int(3), _db.Run("ZADD", "z", "2", "b", "1", "a", "2", "aa"));
        Assert.Equal(Int(0), _db.Run("ZADD", "z", "5", "a"));
        Assert.Equal(Bulks("aa", "b", "a"), _db.Run("ZRANGE", "z", "0", "-1"));
        Assert.Equal(Bulks("aa", "2", "b", "2", "a", "5"), _db.Run("ZRANGE", "z", "0", "-1", "WITHSCORES"));
        Assert.Equal(Int(3), _db.Run("ZCARD", "z"));
        Assert.Equal(Status("zset"), _db.Run("TYPE", "z"));
        Assert.Equal(Int(0), _db.Run("ZCARD", "missing"));
    }

    [Fact]
    public void Zadd_flags_nx_xx_gt_lt_ch_incr()
    {
        _db.Run("ZADD", "z", "10", "m");
        Assert.Equal(Int(0), _db.Run("ZADD", "z", "NX", "20", "m"));
        Assert.Equal(Int(0), _db.Run("ZADD", "z", "XX", "5", "new"));
        Assert.Equal(Nil, _db.Run("ZSCORE", "z", "new"));
        Assert.Equal(Int(1), _db.Run("ZADD", "z", "XX", "CH", "11", "m"));
        Assert.Equal(Int(0), _db.Run("ZADD", "z", "GT", "CH", "5", "m"));
        Assert.Equal(Bulk("11"), _db.Run("ZSCORE", "z", "m"));
        Assert.Equal(Int(2), _db.Run("ZADD", "z", "LT", "CH", "5", "m", "7", "other"));
        Assert.Equal(Bulk("5"), _db.Run("ZSCORE", "z", "m"));
        Assert.Equal(Int(2), _db.Run("ZADD", "z", "CH", "6", "m", "1", "third", "1", "third"));
        Assert.Equal(Bulk("8.5"), _db.Run("ZADD", "z", "INCR", "2.5", "m"));
        Assert.Equal(Nil, _db.Run("ZADD", "z", "NX", "INCR", "1", "m"));
        Assert.Equal(Nil, _db.Run("ZADD", "z", "GT", "INCR", "-1", "m"));
        Assert.Equal(Bulk("3"), _db.Run("ZADD", "z", "INCR", "3", "fresh"));
        Assert.Equal(Nil, _db.Run("ZADD", "nokey", "XX", "INCR", "3", "m"));
        Assert.Equal(Int(0), _db.Run("ZADD", "nokey", "XX", "3", "m"));
        Assert.Equal(Int(0), _db.Run("EXISTS", "nokey"));
    }

    [Fact]
    public void Scores_are_read_as_strtod_reads_them()
    {
        // redis-server 7.0.15 reads the same scores; it prints them with %.17g, dst (as Redis 7.2) in the shortest form.
        Assert.Equal(Int(1), _db.Run("ZADD", "z", "0x10", "hex"));
        Assert.Equal(Bulk("16"), _db.Run("ZSCORE", "z", "hex"));
        _db.Run("ZADD", "z", "0x1.8p1", "binary-exponent");
        Assert.Equal(Bulk("3"), _db.Run("ZSCORE", "z", "binary-exponent"));
        _db.Run("ZADD", "z", "4.9e-324", "subnormal");
        Assert.Equal(Bulk("5e-324"), _db.Run("ZSCORE", "z", "subnormal"));
    }

    [Fact]
    public void Zadd_errors_change_nothing()
    {
        _db.Run("ZADD", "z", "1", "a");
        Assert.Equal(Syntax, _db.Run("ZADD", "z", "NX", "1"));
        Assert.Equal(Syntax, _db.Run("ZADD", "z", "NX", "CH"));
        Assert.Equal(Syntax, _db.Run("ZADD", "z", "1", "b", "2"));
        Assert.Equal(Err("ERR XX and NX options at the same time are not compatible"), _db.Run("ZADD", "z", "NX", "XX", "1", "b"));
        Assert.Equal(Err("ERR GT, LT, and/or NX options at the same time are not compatible"), _db.Run("ZADD", "z", "GT", "LT", "1", "b"));
        Assert.Equal(Err("ERR GT, LT, and/or NX options at the same time are not compatible"), _db.Run("ZADD", "z", "NX", "GT", "1", "b"));
        Assert.Equal(Err("ERR INCR option supports a single increment-element pair"), _db.Run("ZADD", "z", "INCR", "1", "b", "2", "c"));
        Assert.Equal(Err("ERR value is not a valid float"), _db.Run("ZADD", "z", "1", "b", "x", "c"));
        Assert.Equal(Err("ERR value is not a valid float"), _db.Run("ZADD", "z", "nan", "b"));
        Assert.Equal(Err("ERR value is not a valid float"), _db.Run("ZADD", "z", "1e-400", "b")); // strtod's underflow to zero
        Assert.Equal(Int(1), _db.Run("ZCARD", "z"));
        Assert.Equal(Err("ERR wrong number of arguments for 'zadd' command"), _db.Run("ZADD", "z", "1"));
        _db.Run("ZADD", "inf", "+inf", "m");
        Assert.Equal(Err("ERR resulting score is not a number (NaN)"), _db.Run("ZINCRBY", "inf", "-inf", "m"));
        Assert.Equal(Bulk("inf"), _db.Run("ZSCORE", "inf", "m"));
    }

    [Fact]
    public void Zincrby_zscore_zmscore_zrem()
    {
        Assert.Equal(Bulk("2"), _db.Run("ZINCRBY", "z", "2", "a"));
        Assert.Equal(Bulk("1.5"), _db.Run("ZINCRBY", "z", "-0.5", "a"));
        Assert.Equal(Err("ERR value is not a valid float"), _db.Run("ZINCRBY", "z", "x", "a"));
        _db.Run("ZADD", "z", "-3", "b");
        Assert.Equal(Array(Bulk("1.5"), Nil, Bulk("-3")), _db.Run("ZMSCORE", "z", "a", "nope", "b"));
        Assert.Equal(Array(Nil), _db.Run("ZMSCORE", "missing", "a"));
        Assert.Equal(Nil, _db.Run("ZSCORE", "missing", "a"));
        Assert.Equal(Int(1), _db.Run("ZREM", "z", "a", "nope"));
        Assert.Equal(Int(0), _db.Run("ZREM", "missing", "a"));
        Assert.Equal(Int(1), _db.Run("ZREM", "z", "b"));
        Assert.Equal(Int(0), _db.Run("EXISTS", "z"));
    }

    [Fact]
    public void Every_sorted_set_command_refuses_other_types()
    {
        _db.Run("SET", "s", "x");
        foreach (var command in new[]
        {
            new[] { "ZADD", "s", "1", "a" }, ["ZINCRBY", "s", "1", "a"], ["ZREM", "s", "a"], ["ZSCORE", "s", "a"], ["ZMSCORE", "s", "a"],
            ["ZCARD", "s"], ["ZCOUNT", "s", "0", "1"], ["ZLEXCOUNT", "s", "-", "+"], ["ZRANK", "s", "a"], ["ZREVRANK", "s", "a"],
            ["ZRANGE", "s", "0", "1"], ["ZRANGESTORE", "d", "s", "0", "1"], ["ZRANGEBYSCORE", "s", "0", "1"], ["ZREVRANGEBYSCORE", "s", "1", "0"],
            ["ZRANGEBYLEX", "s", "-", "+"], ["ZREVRANGEBYLEX", "s", "+", "-"], ["ZREVRANGE", "s", "0", "1"], ["ZREMRANGEBYRANK", "s", "0", "1"],
            ["ZREMRANGEBYSCORE", "s", "0", "1"], ["ZREMRANGEBYLEX", "s", "-", "+"], ["ZPOPMIN", "s"], ["ZPOPMAX", "s", "2"], ["BZPOPMIN", "s", "0"],
            ["BZPOPMAX", "s", "0"], ["ZMPOP", "1", "s", "MIN"], ["BZMPOP", "0", "1", "s", "MAX"], ["ZUNION", "1", "s"], ["ZINTER", "1", "s"],
            ["ZDIFF", "1", "s"], ["ZUNIONSTORE", "d", "1", "s"], ["ZINTERSTORE", "d", "1", "s"], ["ZDIFFSTORE", "d", "1", "s"],
            ["ZRANDMEMBER", "s"], ["ZRANDMEMBER", "s", "2"], ["ZSCAN", "s", "0"],
        })
        {
            Assert.True(WrongType == _db.Run(command), string.Join(' ', command));
        }
        Assert.Equal(Bulk("x"), _db.Run("GET", "s"));
    }

    [Fact]
    public void Ranks_with_and_without_scores()
    {
        Seed();
        Assert.Equal(Int(0), _db.Run("ZRANK", "z", "a"));
        Assert.Equal(Int(3), _db.Run("ZRANK", "z", "d"));
        Assert.Equal(Int(1), _db.Run("ZREVRANK", "z", "d"));
        Assert.Equal(Array(Int(4), Bulk("10")), _db.Run("ZRANK", "z", "e", "WITHSCORE"));
        Assert.Equal(Array(Int(0), Bulk("10")), _db.Run("ZREVRANK", "z", "e", "withscore"));
        Assert.Equal(Nil, _db.Run("ZRANK", "z", "nope"));
        Assert.Equal(NilArray, _db.Run("ZRANK", "z", "nope", "WITHSCORE"));
        Assert.Equal(NilArray, _db.Run("ZREVRANK", "missing", "nope", "WITHSCORE"));
        Assert.Equal(Syntax, _db.Run("ZRANK", "z", "a", "WITHSCORES"));
        Assert.Equal(Err("ERR wrong number of arguments for 'zrank' command"), _db.Run("ZRANK", "z", "a", "WITHSCORE", "x"));
    }

    [Fact]
    public void Count_and_lexcount_parse_ranges_exactly()
    {
        Seed();
        Assert.Equal(Int(5), _db.Run("ZCOUNT", "z", "-inf", "+inf"));
        Assert.Equal(Int(3), _db.Run("ZCOUNT", "z", "(1", "3"));
        Assert.Equal(Int(1), _db.Run("ZCOUNT", "z", "(1", "(3"));
        Assert.Equal(Int(0), _db.Run("ZCOUNT", "z", "5", "1"));
        Assert.Equal(Int(0), _db.Run("ZCOUNT", "z", "(3", "3"));
        Assert.Equal(Int(0), _db.Run("ZCOUNT", "missing", "0", "1"));
        Assert.Equal(Err("ERR min or max is not a float"), _db.Run("ZCOUNT", "z", "x", "1"));
        Assert.Equal(Err("ERR min or max is not a float"), _db.Run("ZCOUNT", "z", "1", "(nan"));
        _db.Run("ZADD", "lex", "0", "a", "0", "b", "0", "c", "0", "d");
        Assert.Equal(Int(4), _db.Run("ZLEXCOUNT", "lex", "-", "+"));
        Assert.Equal(Int(2), _db.Run("ZLEXCOUNT", "lex", "[b", "(d"));
        Assert.Equal(Int(0), _db.Run("ZLEXCOUNT", "lex", "+", "-"));
        Assert.Equal(Int(0), _db.Run("ZLEXCOUNT", "lex", "(b", "[b"));
        Assert.Equal(Err("ERR min or max not valid string range item"), _db.Run("ZLEXCOUNT", "lex", "b", "+"));
        Assert.Equal(Err("ERR min or max not valid string range item"), _db.Run("ZLEXCOUNT", "lex", "-", ""));
    }

    [Fact]
    public void Zrange_by_rank_score_lex_with_rev_and_limit()
    {
        Seed();
        Assert.Equal(Bulks("b", "c", "d"), _db.Run("ZRANGE", "z", "1", "3"));
        Assert.Equal(Bulks("e", "d"), _db.Run("ZRANGE", "z", "0", "1", "REV"));
        Assert.Equal(Bulks("e", "d"), _db.Run("ZREVRANGE", "z", "0", "1"));
        Assert.Equal(Bulks("d", "3", "c", "3"), _db.Run("ZREVRANGE", "z", "1", "2", "WITHSCORES"));
        Assert.Equal(Bulks("c", "d", "e"), _db.Run("ZRANGE", "z", "-3", "100"));
        Assert.Equal(Array(), _db.Run("ZRANGE", "z", "4", "2"));
        Assert.Equal(Bulks("b", "c", "d"), _db.Run("ZRANGE", "z", "(1", "3", "BYSCORE"));
        Assert.Equal(Bulks("d", "c", "b"), _db.Run("ZRANGE", "z", "3", "(1", "BYSCORE", "REV"));
        Assert.Equal(Bulks("c", "d"), _db.Run("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "2", "2"));
        Assert.Equal(Bulks("c", "3", "d", "3", "e", "10"), _db.Run("ZRANGEBYSCORE", "z", "3", "+inf", "WITHSCORES"));
        Assert.Equal(Bulks("e", "d"), _db.Run("ZREVRANGEBYSCORE", "z", "+inf", "3", "LIMIT", "0", "2"));
        Assert.Equal(Bulks("d", "c"), _db.Run("ZREVRANGEBYSCORE", "z", "+inf", "-inf", "LIMIT", "1", "2"));
        Assert.Equal(Array(), _db.Run("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "-1", "2"));
        Assert.Equal(Bulks("e"), _db.Run("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "4", "-1"));
        Assert.Equal(Array(), _db.Run("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "5", "1"));
        _db.Run("ZADD", "lex", "0", "a", "0", "b", "0", "c", "0", "d");
        Assert.Equal(Bulks("b", "c"), _db.Run("ZRANGEBYLEX", "lex", "(a", "[c"));
        Assert.Equal(Bulks("c", "b"), _db.Run("ZREVRANGEBYLEX", "lex", "[c", "(a"));
        Assert.Equal(Bulks("b"), _db.Run("ZRANGE", "lex", "-", "+", "BYLEX", "LIMIT", "1", "1"));
        Assert.Equal(Bulks("d", "c"), _db.Run("ZRANGE", "lex", "+", "-", "BYLEX", "REV", "LIMIT", "0", "2"));
        Assert.Equal(Array(), _db.Run("ZRANGE", "missing", "0", "-1"));
    }

    [Fact]
    public void Zrange_option_errors()
    {
        Seed();
        Assert.Equal(Err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"), _db.Run("ZRANGE", "z", "0", "1", "LIMIT", "0", "1"));
        Assert.Equal(Err("ERR syntax error, WITHSCORES not supported in combination with BYLEX"), _db.Run("ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES"));
        Assert.Equal(Syntax, _db.Run("ZRANGEBYSCORE", "z", "0", "1", "REV"));
        Assert.Equal(Syntax, _db.Run("ZREVRANGE", "z", "0", "1", "REV"));
        Assert.Equal(Syntax, _db.Run("ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX"));
        Assert.Equal(Syntax, _db.Run("ZRANGE", "z", "0", "1", "LIMIT", "0"));
        Assert.Equal(NotInteger, _db.Run("ZRANGE", "z", "0", "x"));
        Assert.Equal(NotInteger, _db.Run("ZRANGEBYSCORE", "z", "0", "1", "LIMIT", "x", "1"));
        Assert.Equal(Err("ERR min or max is not a float"), _db.Run("ZRANGEBYSCORE", "z", "a", "1"));
        Assert.Equal(Err("ERR min or max not valid string range item"), _db.Run("ZRANGEBYLEX", "z", "a", "+"));
        Assert.Equal(Syntax, _db.Run("ZRANGESTORE", "d", "z", "0", "1", "WITHSCORES"));
    }

    [Fact]
    public void Zrangestore_replaces_or_deletes_the_destination()
    {
        Seed();
        _db.Run("SET", "d", "string");
        Assert.Equal(Int(2), _db.Run("ZRANGESTORE", "d", "z", "(1", "3", "BYSCORE", "LIMIT", "0", "2"));
        Assert.Equal(Bulks("b", "2", "c", "3"), _db.Run("ZRANGE", "d", "0", "-1", "WITHSCORES"));
        Assert.Equal(Int(2), _db.Run("ZRANGESTORE", "d", "z", "0", "1", "REV"));
        Assert.Equal(Bulks("d", "e"), _db.Run("ZRANGE", "d", "0", "-1"));
        Assert.Equal(Int(0), _db.Run("ZRANGESTORE", "d", "z", "10", "20"));
        Assert.Equal(Int(0), _db.Run("EXISTS", "d"));
        Assert.Equal(Int(5), _db.Run("ZRANGESTORE", "z", "z", "0", "-1"));
        Assert.Equal(Int(0), _db.Run("ZRANGESTORE", "d", "missing", "0", "-1"));
    }

    [Fact]
    public void Zremrange_by_rank_score_lex()
    {
        Seed();
        Assert.Equal(Int(2), _db.Run("ZREMRANGEBYRANK", "z", "0", "1"));
        Assert.Equal(Int(2), _db.Run("ZREMRANGEBYSCORE", "z", "3", "(10"));
        Assert.Equal(Bulks("e"), _db.Run("ZRANGE", "z", "0", "-1"));
        Assert.Equal(Int(0), _db.Run("ZREMRANGEBYRANK", "z", "5", "9"));
        Assert.Equal(Int(1), _db.Run("ZREMRANGEBYRANK", "z", "-1", "-1"));
        Assert.Equal(Int(0), _db.Run("EXISTS", "z"));
        _db.Run("ZADD", "lex", "0", "a", "0", "b", "0", "c");
        Assert.Equal(Int(2), _db.Run("ZREMRANGEBYLEX", "lex", "[b", "+"));
        Assert.Equal(Int(0), _db.Run("ZREMRANGEBYLEX", "missing", "-", "+"));
        Assert.Equal(Err("ERR min or max not valid string range item"), _db.Run("ZREMRANGEBYLEX", "lex", "b", "+"));
        Assert.Equal(Err("ERR min or max is not a float"), _db.Run("ZREMRANGEBYSCORE", "lex", "b", "1"));
        Assert.Equal(NotInteger, _db.Run("ZREMRANGEBYRANK", "lex", "b", "1"));
    }

    [Fact]
    public void Pops_take_from_either_end()
    {
        Seed();
        Assert.Equal(Bulks("a", "1"), _db.Run("ZPOPMIN", "z"));
        Assert.Equal(Bulks("e", "10", "d", "3"), _db.Run("ZPOPMAX", "z", "2"));
        Assert.Equal(Array(), _db.Run("ZPOPMIN", "z", "0"));
        Assert.Equal(Err("ERR value is out of range, must be positive"), _db.Run("ZPOPMIN", "z", "-1"));
        Assert.Equal(Err("ERR syntax error"), _db.Run("ZPOPMIN", "z", "1", "2")); // as redis-server 7.0
        _db.Run("SET", "s", "x");
        Assert.Equal(Err(CommandErrors.WrongType), _db.Run("ZPOPMIN", "s", "0")); // the type is checked before the count
        Assert.Equal(Bulks("b", "2", "c", "3"), _db.Run("ZPOPMIN", "z", "10"));
        Assert.Equal(Int(0), _db.Run("EXISTS", "z"));
        Assert.Equal(Array(), _db.Run("ZPOPMIN", "z"));
    }

    [Fact]
    public void Zmpop_and_blocking_pops()
    {
        var db = new Lists.DirectContext();
        db.Run("ZADD", "b", "1", "x", "2", "y", "3", "w");
        Assert.Equal(Array(Bulk("b"), Array(Bulks("x", "1"))), db.Run("ZMPOP", "2", "a", "b", "MIN"));
        Assert.Equal(Array(Bulk("b"), Array(Bulks("w", "3"), Bulks("y", "2"))), db.Run("ZMPOP", "2", "a", "b", "MAX", "COUNT", "5"));
        Assert.Equal(NilArray, db.Run("ZMPOP", "1", "b", "MIN"));
        Assert.False(db.Context.BlockedOnKeys);
        Assert.Equal(Err("ERR numkeys should be greater than 0"), db.Run("ZMPOP", "0", "b", "MIN"));
        Assert.Equal(Err("ERR count should be greater than 0"), db.Run("ZMPOP", "1", "b", "MIN", "COUNT", "-2"));
        Assert.Equal(Syntax, db.Run("ZMPOP", "1", "b", "LEFT"));
        Assert.Equal(NilArray, db.Run("BZPOPMIN", "a", "b", "0"));
        Assert.True(db.Context.BlockedOnKeys);
        Assert.Equal(NilArray, db.Run("BZMPOP", "0.5", "1", "b", "MIN"));
        Assert.True(db.Context.BlockedOnKeys);
        db.Run("ZADD", "b", "4", "p", "5", "q");
        Assert.Equal(Array(Bulk("b"), Bulk("q"), Bulk("5")), db.Run("BZPOPMAX", "a", "b", "0"));
        Assert.False(db.Context.BlockedOnKeys);
        Assert.Equal(Array(Bulk("b"), Bulk("p"), Bulk("4")), db.Run("BZPOPMIN", "b", "0"));
        Assert.Equal(Int(0), db.Run("EXISTS", "b"));
        Assert.Equal(Err("ERR timeout is negative"), db.Run("BZPOPMIN", "b", "-1"));
    }

    [Fact]
    public void Union_intersection_difference_with_weights_and_aggregates()
    {
        _db.Run("ZADD", "x", "1", "a", "2", "b", "3", "c");
        _db.Run("ZADD", "y", "10", "b", "20", "c", "30", "d");
        Assert.Equal(Bulks("a", "1", "b", "12", "c", "23", "d", "30"), _db.Run("ZUNION", "2", "x", "y", "WITHSCORES"));
        Assert.Equal(Bulks("a", "b", "c", "d"), _db.Run("ZUNION", "3", "x", "y", "missing"));
        Assert.Equal(Bulks("b", "c"), _db.Run("ZINTER", "2", "x", "y"));
        Assert.Equal(Bulks("b", "2", "c", "3"), _db.Run("ZINTER", "2", "x", "y", "AGGREGATE", "MIN", "WITHSCORES"));
        Assert.Equal(Bulks("b", "14", "c", "26"), _db.Run("ZINTER", "2", "x", "y", "WEIGHTS", "2", "1", "AGGREGATE", "sum", "WITHSCORES"));
        Assert.Equal(Bulks("a", "-1", "b", "10", "c", "20", "d", "30"), _db.Run("ZUNION", "2", "x", "y", "WEIGHTS", "-1", "1", "AGGREGATE", "MAX", "WITHSCORES"));
        Assert.Equal(Array(), _db.Run("ZINTER", "2", "x", "missing"));
        Assert.Equal(Bulks("a", "1"), _db.Run("ZDIFF", "2", "x", "y", "WITHSCORES"));
        Assert.Equal(Int(2), _db.Run("ZINTERSTORE", "out", "2", "x", "y"));
        Assert.Equal(Bulks("b", "12", "c", "23"), _db.Run("ZRANGE", "out", "0", "-1", "WITHSCORES"));
        Assert.Equal(Int(4), _db.Run("ZUNIONSTORE", "out", "2", "x", "y", "AGGREGATE", "MAX"));
        Assert.Equal(Int(1), _db.Run("ZDIFFSTORE", "out", "2", "x", "y"));
        Assert.Equal(Int(0), _db.Run("ZDIFFSTORE", "out", "2", "x", "x"));
        Assert.Equal(Int(0), _db.Run("EXISTS", "out"));
        _db.Run("ZADD", "inf", "+inf", "a");
        // inf * 0 is NaN, which Redis counts as 0.
        Assert.Equal(Bulks("a", "0"), _db.Run("ZINTER", "2", "inf", "x", "WEIGHTS", "0", "0", "WITHSCORES"));
    }

    [Fact]
    public void Plain_sets_count_as_members_scoring_one()
    {
        _db.Run("ZADD", "z", "5", "a", "7", "b");
        _db.Run("SADD", "s", "a", "c");
        _db.Run("SADD", "ints", "1", "2");
        Assert.Equal(Bulks("c", "1", "a", "6", "b", "7"), _db.Run("ZUNION", "2", "z", "s", "WITHSCORES"));
        Assert.Equal(Bulks("a", "6"), _db.Run("ZINTER", "2", "s", "z", "WITHSCORES"));
        Assert.Equal(Bulks("c"), _db.Run("ZDIFF", "2", "s", "z"));
        Assert.Equal(Bulks("1", "2", "2", "2"), _db.Run("ZUNION", "1", "ints", "WEIGHTS", "2", "WITHSCORES"));
        _db.Run("RPUSH", "l", "a");
        Assert.Equal(WrongType, _db.Run("ZUNION", "2", "z", "l"));
    }

    [Fact]
    public void Union_family_errors()
    {
        _db.Run("ZADD", "x", "1", "a");
        Assert.Equal(Err("ERR at least 1 input key is needed for 'zunion' command"), _db.Run("ZUNION", "0", "x"));
        Assert.Equal(Err("ERR at least 1 input key is needed for 'zinterstore' command"), _db.Run("ZINTERSTORE", "d", "0", "x"));
        Assert.Equal(Syntax, _db.Run("ZUNION", "2", "x"));
        Assert.Equal(NotInteger, _db.Run("ZUNION", "x", "x"));
        Assert.Equal(Err("ERR weight value is not a float"), _db.Run("ZUNION", "1", "x", "WEIGHTS", "w"));
        Assert.Equal(Syntax, _db.Run("ZUNION", "1", "x", "WEIGHTS"));
        Assert.Equal(Syntax, _db.Run("ZUNION", "1", "x", "AGGREGATE", "AVG"));
        Assert.Equal(Syntax, _db.Run("ZDIFF", "1", "x", "WEIGHTS", "1"));
        Assert.Equal(Syntax, _db.Run("ZUNIONSTORE", "d", "1", "x", "WITHSCORES"));
    }

    [Fact]
    public void Zrandmember_draws_members_of_the_set()
    {
        Seed();
        var members = new[] { "a", "b", "c", "d", "e" };
        var one = _db.Run("ZRANDMEMBER", "z");
        Assert.Contains(one, members.Select(Bulk));
        Assert.Equal(Nil, _db.Run("ZRANDMEMBER", "missing"));
        Assert.Equal(Array(), _db.Run("ZRANDMEMBER", "missing", "3"));
        Assert.Equal(Array(), _db.Run("ZRANDMEMBER", "z", "0"));
        Assert.Equal(Bulks(members), _db.Run("ZRANDMEMBER", "z", "9"));
        Assert.Equal(Bulks("a", "1", "b", "2", "c", "3", "d", "3", "e", "10"), _db.Run("ZRANDMEMBER", "z", "5", "WITHSCORES"));
        var distinct = ParseBulks(_db.Run("ZRANDMEMBER", "z", "3"));
        Assert.Equal(3, distinct.Distinct().Count());
        Assert.All(distinct, member => Assert.Contains(member, members));
        var repeated = ParseBulks(_db.Run("ZRANDMEMBER", "z", "-20"));
        Assert.Equal(20, repeated.Count);
        Assert.All(repeated, member => Assert.Contains(member, members));
        Assert.Equal(Syntax, _db.Run("ZRANDMEMBER", "z", "1", "WITHSCORE"));
        Assert.Equal(Err("ERR value is out of range"), _db.Run("ZRANDMEMBER", "z", "-9223372036854775807", "WITHSCORES"));
        Assert.Equal(NotInteger, _db.Run("ZRANDMEMBER", "z", "x"));
    }

    [Fact]
    public void Zscan_listpack_returns_everything_at_once()
    {
        Seed();
        Assert.Equal(Array(Bulk("0"), Bulks("a", "1", "b", "2", "c", "3", "d", "3", "e", "10")), _db.Run("ZSCAN", "z", "0"));
        Assert.Equal(Array(Bulk("0"), Bulks("c", "3", "d", "3")), _db.Run("ZSCAN", "z", "0", "MATCH", "[cd]"));
        Assert.Equal(Array(Bulk("0"), Array()), _db.Run("ZSCAN", "missing", "0"));
        Assert.Equal(Err("ERR invalid cursor"), _db.Run("ZSCAN", "z", "x"));
        Assert.Equal(Syntax, _db.Run("ZSCAN", "z", "0", "COUNT", "0"));
        Assert.Equal(Array(Bulk("0"), Array()), _db.Run("ZSCAN", "missing", "0", "COUNT", "abc")); // options are read once the key is found, as in Redis
        Assert.Equal(Err(CommandErrors.NotInteger), _db.Run("ZSCAN", "z", "0", "COUNT", "abc"));
    }

    [Fact]
    public void Resp3_scores_are_doubles_and_pairs_are_nested()
    {
        var db = new Harness(version: RespVersion.Resp3);
        db.Run("ZADD", "z", "1.5", "a", "2", "b");
        Assert.Equal(",1.5\r\n", db.Run("ZSCORE", "z", "a"));
        Assert.Equal("*2\r\n*2\r\n$1\r\na\r\n,1.5\r\n*2\r\n$1\r\nb\r\n,2\r\n", db.Run("ZRANGE", "z", "0", "-1", "WITHSCORES"));
        Assert.Equal("*2\r\n$1\r\na\r\n,1.5\r\n", db.Run("ZPOPMIN", "z"));
        Assert.Equal("*1\r\n*2\r\n$1\r\nb\r\n,2\r\n", db.Run("ZPOPMIN", "z", "1"));
        Assert.Equal("_\r\n", db.Run("ZSCORE", "z", "a"));
    }

    private static List<string> ParseBulks(string reply)
    {
        var lines = reply.Split("\r\n");
        var items = new List<string>();
        for (var i = 1; i + 1 < lines.Length; i += 2)
        {
            items.Add(lines[i + 1]);
        }
        return items;
    }
}
