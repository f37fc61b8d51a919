using Dst.Protocol;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.Lists;

public sealed class ListCommandsTests
{
    private readonly Harness _db = new();

    [Fact]
    public void Push_pop_and_range_follow_redis_order()
    {
        Assert.Equal(Int(3), _db.Run("RPUSH", "l", "a", "b", "c"));
        Assert.Equal(Int(5), _db.Run("LPUSH", "l", "y", "z"));
        Assert.Equal(Bulks("z", "y", "a", "b", "c"), _db.Run("LRANGE", "l", "0", "-1"));
        Assert.Equal(Bulk("z"), _db.Run("LPOP", "l"));
        Assert.Equal(Bulk("c"), _db.Run("RPOP", "l"));
        Assert.Equal(Int(3), _db.Run("LLEN", "l"));
        Assert.Equal(Bulks("y", "a"), _db.Run("LPOP", "l", "2"));
        Assert.Equal(Bulks("b"), _db.Run("RPOP", "l", "5"));
        Assert.Equal(Int(0), _db.Run("EXISTS", "l"));
        Assert.Equal(Nil, _db.Run("LPOP", "l"));
        Assert.Equal(NilArray, _db.Run("LPOP", "l", "1"));
        Assert.Equal(Int(0), _db.Run("LLEN", "l"));
    }

    [Fact]
    public void Pop_count_errors_and_zero()
    {
        _db.Run("RPUSH", "l", "a");
        Assert.Equal(Array(), _db.Run("LPOP", "l", "0"));
        Assert.Equal(Err("ERR value is out of range, must be positive"), _db.Run("LPOP", "l", "-1"));
        Assert.Equal(Err("ERR value is out of range, must be positive"), _db.Run("RPOP", "l", "x"));
        Assert.Equal(Err("ERR wrong number of arguments for 'lpop' command"), _db.Run("LPOP", "l", "1", "2"));
        Assert.Equal(Err("ERR wrong number of arguments for 'rpush' command"), _db.Run("RPUSH", "l"));
    }

    [Fact]
    public void Pushx_only_touches_existing_lists()
    {
        Assert.Equal(Int(0), _db.Run("LPUSHX", "l", "a"));
        Assert.Equal(Int(0), _db.Run("RPUSHX", "l", "a"));
        Assert.Equal(Int(0), _db.Run("EXISTS", "l"));
        _db.Run("RPUSH", "l", "m");
        Assert.Equal(Int(3), _db.Run("LPUSHX", "l", "b", "a"));
        Assert.Equal(Int(4), _db.Run("RPUSHX", "l", "z"));
        Assert.Equal(Bulks("a", "b", "m", "z"), _db.Run("LRANGE", "l", "0", "-1"));
    }

    [Fact]
    public void Every_list_command_refuses_other_types()
    {
        _db.Run("SET", "s", "x");
        foreach (var command in new[]
        {
            new[] { "LPUSH", "s", "a" }, ["RPUSH", "s", "a"], ["LPUSHX", "s", "a"], ["RPUSHX", "s", "a"], ["LPOP", "s"], ["RPOP", "s", "2"],
            ["LRANGE", "s", "0", "1"], ["LLEN", "s"], ["LINDEX", "s", "0"], ["LSET", "s", "0", "a"], ["LREM", "s", "0", "a"],
            ["LTRIM", "s", "0", "1"], ["LINSERT", "s", "BEFORE", "a", "b"], ["LPOS", "s", "a"], ["LMOVE", "s", "d", "LEFT", "LEFT"],
            ["RPOPLPUSH", "s", "d"], ["LMPOP", "1", "s", "LEFT"], ["BLPOP", "s", "0"], ["BRPOP", "s", "0"], ["BLMOVE", "s", "d", "LEFT", "LEFT", "0"],
            ["BLMPOP", "0", "1", "s", "LEFT"],
        })
        {
            Assert.Equal(WrongType, _db.Run(command));
        }
        Assert.Equal(Bulk("x"), _db.Run("GET", "s"));
        _db.Run("RPUSH", "l", "a");
        Assert.Equal(Status("list"), _db.Run("TYPE", "l"));
        Assert.Equal(WrongType, _db.Run("GET", "l"));
    }

    [Fact]
    public void Lrange_clamps_like_redis()
    {
        _db.Run("RPUSH", "l", "0", "1", "2", "3", "4");
        Assert.Equal(Bulks("1", "2", "3"), _db.Run("LRANGE", "l", "1", "-2"));
        Assert.Equal(Bulks("0", "1", "2", "3", "4"), _db.Run("LRANGE", "l", "-100", "100"));
        Assert.Equal(Array(), _db.Run("LRANGE", "l", "3", "1"));
        Assert.Equal(Array(), _db.Run("LRANGE", "l", "5", "10"));
        Assert.Equal(Array(), _db.Run("LRANGE", "missing", "0", "-1"));
        Assert.Equal(NotInteger, _db.Run("LRANGE", "l", "a", "1"));
    }

    [Fact]
    public void Lindex_and_lset()
    {
        _db.Run("RPUSH", "l", "a", "b", "c");
        Assert.Equal(Bulk("a"), _db.Run("LINDEX", "l", "0"));
        Assert.Equal(Bulk("c"), _db.Run("LINDEX", "l", "-1"));
        Assert.Equal(Nil, _db.Run("LINDEX", "l", "3"));
        Assert.Equal(Nil, _db.Run("LINDEX", "l", "-4"));
        Assert.Equal(NotInteger, _db.Run("LINDEX", "l", "x"));
        Assert.Equal(Nil, _db.Run("LINDEX", "missing", "x"));
        Assert.Equal(Ok, _db.Run("LSET", "l", "-1", "C"));
        Assert.Equal(Ok, _db.Run("LSET", "l", "0", "A"));
        Assert.Equal(Err("ERR index out of range"), _db.Run("LSET", "l", "3", "x"));
        Assert.Equal(Err("ERR no such key"), _db.Run("LSET", "missing", "0", "x"));
        Assert.Equal(NotInteger, _db.Run("LSET", "l", "x", "x"));
        Assert.Equal(Bulks("A", "b", "C"), _db.Run("LRANGE", "l", "0", "-1"));
    }

    [Fact]
    public void Lrem_from_head_tail_and_all()
    {
        _db.Run("RPUSH", "l", "a", "x", "b", "x", "c", "x");
        Assert.Equal(Int(1), _db.Run("LREM", "l", "1", "x"));
        Assert.Equal(Bulks("a", "b", "x", "c", "x"), _db.Run("LRANGE", "l", "0", "-1"));
        Assert.Equal(Int(1), _db.Run("LREM", "l", "-1", "x"));
        Assert.Equal(Bulks("a", "b", "x", "c"), _db.Run("LRANGE", "l", "0", "-1"));
        Assert.Equal(Int(0), _db.Run("LREM", "l", "0", "nope"));
        _db.Run("RPUSH", "l", "x");
        Assert.Equal(Int(2), _db.Run("LREM", "l", "0", "x"));
        Assert.Equal(Int(0), _db.Run("LREM", "missing", "0", "x"));
        Assert.Equal(NotInteger, _db.Run("LREM", "l", "one", "x"));
        Assert.Equal(Bulks("a", "b", "c"), _db.Run("LRANGE", "l", "0", "-1"));
        Assert.Equal(Int(1), _db.Run("LREM", "l", "-9223372036854775808", "a"));
        Assert.Equal(Int(1), _db.Run("LREM", "l", "0", "b"));
        Assert.Equal(Int(1), _db.Run("LREM", "l", "5", "c"));
        Assert.Equal(Int(0), _db.Run("EXISTS", "l"));
    }

    [Fact]
    public void Ltrim_keeps_a_range_and_deletes_an_emptied_list()
    {
        _db.Run("RPUSH", "l", "0", "1", "2", "3", "4");
        Assert.Equal(Ok, _db.Run("LTRIM", "l", "1", "-2"));
        Assert.Equal(Bulks("1", "2", "3"), _db.Run("LRANGE", "l", "0", "-1"));
        Assert.Equal(Ok, _db.Run("LTRIM", "l", "-2", "100"));
        Assert.Equal(Bulks("2", "3"), _db.Run("LRANGE", "l", "0", "-1"));
        Assert.Equal(Ok, _db.Run("LTRIM", "l", "1", "0"));
        Assert.Equal(Int(0), _db.Run("EXISTS", "l"));
        Assert.Equal(Ok, _db.Run("LTRIM", "missing", "0", "1"));
        Assert.Equal(NotInteger, _db.Run("LTRIM", "l", "0", "x"));
    }

    [Fact]
    public void Linsert_before_after_missing_pivot_and_syntax()
    {
        _db.Run("RPUSH", "l", "a", "c");
        Assert.Equal(Int(3), _db.Run("LINSERT", "l", "BEFORE", "c", "b"));
        Assert.Equal(Int(4), _db.Run("LINSERT", "l", "after", "c", "d"));
        Assert.Equal(Int(-1), _db.Run("LINSERT", "l", "AFTER", "zz", "e"));
        Assert.Equal(Int(0), _db.Run("LINSERT", "missing", "AFTER", "a", "e"));
        Assert.Equal(Syntax, _db.Run("LINSERT", "l", "MIDDLE", "a", "e"));
        Assert.Equal(Bulks("a", "b", "c", "d"), _db.Run("LRANGE", "l", "0", "-1"));
    }

    [Fact]
    public void Lpos_rank_count_maxlen()
    {
        _db.Run("RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c");
        Assert.Equal(Int(2), _db.Run("LPOS", "l", "c"));
        Assert.Equal(Int(6), _db.Run("LPOS", "l", "c", "RANK", "2"));
        Assert.Equal(Int(7), _db.Run("LPOS", "l", "c", "RANK", "-1"));
        Assert.Equal(Array(Int(2), Int(6)), _db.Run("LPOS", "l", "c", "COUNT", "2"));
        Assert.Equal(Array(Int(2), Int(6), Int(7)), _db.Run("LPOS", "l", "c", "COUNT", "0"));
        Assert.Equal(Array(Int(7), Int(6)), _db.Run("LPOS", "l", "c", "RANK", "-1", "COUNT", "2"));
        Assert.Equal(Array(Int(2)), _db.Run("LPOS", "l", "c", "COUNT", "0", "MAXLEN", "6"));
        Assert.Equal(Nil, _db.Run("LPOS", "l", "x"));
        Assert.Equal(Array(), _db.Run("LPOS", "l", "x", "COUNT", "5"));
        Assert.Equal(Nil, _db.Run("LPOS", "missing", "x"));
        Assert.Equal(Array(), _db.Run("LPOS", "missing", "x", "COUNT", "1"));
        Assert.Equal(Err("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"), _db.Run("LPOS", "l", "c", "RANK", "0"));
        Assert.Equal(Err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"), _db.Run("LPOS", "l", "c", "RANK", "-9223372036854775808"));
        Assert.Equal(Err("ERR COUNT can't be negative"), _db.Run("LPOS", "l", "c", "COUNT", "-1"));
        Assert.Equal(Err("ERR MAXLEN can't be negative"), _db.Run("LPOS", "l", "c", "MAXLEN", "-1"));
        Assert.Equal(Syntax, _db.Run("LPOS", "l", "c", "FOO", "1"));
        Assert.Equal(Syntax, _db.Run("LPOS", "l", "c", "RANK"));
    }

    [Fact]
    public void Lmove_and_rpoplpush_between_and_within_lists()
    {
        _db.Run("RPUSH", "src", "a", "b", "c");
        Assert.Equal(Bulk("c"), _db.Run("RPOPLPUSH", "src", "dst"));
        Assert.Equal(Bulk("a"), _db.Run("LMOVE", "src", "dst", "LEFT", "RIGHT"));
        Assert.Equal(Bulks("c", "a"), _db.Run("LRANGE", "dst", "0", "-1"));
        Assert.Equal(Bulk("b"), _db.Run("LMOVE", "src", "src", "LEFT", "RIGHT"));
        Assert.Equal(Bulks("b"), _db.Run("LRANGE", "src", "0", "-1"));
        Assert.Equal(Bulk("c"), _db.Run("LMOVE", "dst", "dst", "LEFT", "RIGHT"));
        Assert.Equal(Bulks("a", "c"), _db.Run("LRANGE", "dst", "0", "-1"));
        Assert.Equal(Bulk("b"), _db.Run("LMOVE", "src", "dst", "right", "left"));
        Assert.Equal(Int(0), _db.Run("EXISTS", "src"));
        Assert.Equal(Nil, _db.Run("LMOVE", "src", "dst", "LEFT", "LEFT"));
        Assert.Equal(Syntax, _db.Run("LMOVE", "dst", "x", "UP", "LEFT"));
        _db.Run("SET", "str", "v");
        Assert.Equal(WrongType, _db.Run("LMOVE", "dst", "str", "LEFT", "LEFT"));
        Assert.Equal(Bulks("b", "a", "c"), _db.Run("LRANGE", "dst", "0", "-1"));
    }

    [Fact]
    public void Lmpop_takes_from_the_first_non_empty_list()
    {
        _db.Run("RPUSH", "b", "1", "2", "3");
        Assert.Equal(Array(Bulk("b"), Bulks("1")), _db.Run("LMPOP", "2", "a", "b", "LEFT"));
        Assert.Equal(Array(Bulk("b"), Bulks("3", "2")), _db.Run("LMPOP", "2", "a", "b", "RIGHT", "COUNT", "10"));
        Assert.Equal(NilArray, _db.Run("LMPOP", "2", "a", "b", "RIGHT"));
        Assert.Equal(Err("ERR numkeys should be greater than 0"), _db.Run("LMPOP", "0", "a", "LEFT"));
        Assert.Equal(Err("ERR count should be greater than 0"), _db.Run("LMPOP", "1", "a", "LEFT", "COUNT", "0"));
        Assert.Equal(Syntax, _db.Run("LMPOP", "3", "a", "b", "LEFT"));
        Assert.Equal(Syntax, _db.Run("LMPOP", "1", "a", "MIDDLE"));
        Assert.Equal(Syntax, _db.Run("LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1"));
        _db.Run("SET", "s", "x");
        _db.Run("RPUSH", "l", "v");
        Assert.Equal(Array(Bulk("l"), Bulks("v")), _db.Run("LMPOP", "2", "l", "s", "LEFT"));
        Assert.Equal(WrongType, _db.Run("LMPOP", "2", "missing", "s", "LEFT"));
    }

    [Fact]
    public void Blocking_pops_run_as_an_attempt_and_report_when_nothing_is_there()
    {
        var db = new DirectContext();
        db.Run("RPUSH", "b", "1", "2");
        Assert.Equal(Array(Bulk("b"), Bulk("1")), db.Run("BLPOP", "a", "b", "0"));
        Assert.False(db.Context.BlockedOnKeys);
        Assert.Equal(Array(Bulk("b"), Bulk("2")), db.Run("BRPOP", "a", "b", "1.5"));
        Assert.Equal(Int(0), db.Run("EXISTS", "b"));
        Assert.Equal(NilArray, db.Run("BLPOP", "a", "b", "0"));
        Assert.True(db.Context.BlockedOnKeys);
        Assert.Equal(NilArray, db.Run("BLMPOP", "0", "2", "a", "b", "LEFT"));
        Assert.True(db.Context.BlockedOnKeys);
        Assert.Equal(Nil, db.Run("BLMOVE", "a", "b", "LEFT", "LEFT", "0"));
        Assert.True(db.Context.BlockedOnKeys);
        Assert.Equal(Nil, db.Run("BRPOPLPUSH", "a", "b", "0"));
        Assert.True(db.Context.BlockedOnKeys);
        // A non-blocking empty pop is not a block.
        Assert.Equal(NilArray, db.Run("LMPOP", "1", "a", "LEFT"));
        Assert.False(db.Context.BlockedOnKeys);
        db.Run("RPUSH", "a", "x", "y");
        Assert.Equal(Bulk("y"), db.Run("BRPOPLPUSH", "a", "b", "0"));
        Assert.False(db.Context.BlockedOnKeys);
        Assert.Equal(Bulk("x"), db.Run("BLMOVE", "a", "b", "LEFT", "RIGHT", "0.01"));
        Assert.Equal(Array(Bulk("b"), Bulks("y", "x")), db.Run("BLMPOP", "1", "1", "b", "LEFT", "COUNT", "2"));
        Assert.Equal(Int(0), db.Run("EXISTS", "a", "b"));
    }

    [Fact]
    public void Blocking_timeouts_are_validated_before_any_attempt()
    {
        _db.Run("RPUSH", "l", "v");
        Assert.Equal(Err("ERR timeout is not a float or out of range"), _db.Run("BLPOP", "l", "soon"));
        Assert.Equal(Err("ERR timeout is negative"), _db.Run("BRPOP", "l", "-1"));
        Assert.Equal(Err("ERR timeout is negative"), _db.Run("BLMOVE", "l", "d", "LEFT", "LEFT", "-0.5"));
        Assert.Equal(Err("ERR timeout is not a float or out of range"), _db.Run("BLMPOP", "x", "1", "l", "LEFT"));
        Assert.Equal(Err("ERR timeout is out of range"), _db.Run("BLPOP", "l", "1e300"));
        Assert.Equal(Int(1), _db.Run("LLEN", "l"));
        Assert.True(Dst.Commands.Lists.BlockingTimeout.TryParse("1.0001"u8, out var ms, out _));
        Assert.Equal(1001, ms);
    }

    [Fact]
    public void Resp3_nulls_for_missing_lists()
    {
        var db = new Harness(version: RespVersion.Resp3);
        Assert.Equal("_\r\n", db.Run("LPOP", "l"));
        Assert.Equal("_\r\n", db.Run("LPOP", "l", "2"));
        Assert.Equal("_\r\n", db.Run("BLPOP", "l", "0"));
    }

    [Fact]
    public void Table_rows_declare_blocking_and_movable_keys()
    {
        var table = CommandTable.Default;
        var blpop = table.Lookup("blpop")!;
        Assert.Equal((CommandFlags.Write | CommandFlags.Blocking, 1, -2, 1), (blpop.Flags, blpop.FirstKey, blpop.LastKey, blpop.KeyStep));
        var blmove = table.Lookup("blmove")!;
        Assert.True((blmove.Flags & CommandFlags.Blocking) != 0);
        Assert.Equal((1, 2, 1), (blmove.FirstKey, blmove.LastKey, blmove.KeyStep));
        foreach (var name in new[] { "lmpop", "blmpop", "zmpop", "bzmpop", "zunion", "zinter", "zdiff" })
        {
            Assert.True((table.Lookup(name)!.Flags & CommandFlags.MovableKeys) != 0, name);
        }
        Assert.True((table.Lookup("bzpopmin")!.Flags & CommandFlags.Blocking) != 0);
        Assert.Equal(-3, table.Lookup("bzpopmax")!.Arity);
    }
}
