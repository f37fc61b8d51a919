using Dst.Protocol;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.Hashes;

public sealed class HashCommandsTests
{
    private readonly Harness _db = new();

    [Fact]
    public void Hset_counts_new_fields_and_hget_reads_them()
    {
        Assert.Equal(Int(2), _db.Run("HSET", "h", "a", "1", "b", "2"));
        Assert.Equal(Int(1), _db.Run("HSET", "h", "a", "10", "c", "3"));
        Assert.Equal(Bulk("10"), _db.Run("HGET", "h", "a"));
        Assert.Equal(Nil, _db.Run("HGET", "h", "zz"));
        Assert.Equal(Nil, _db.Run("HGET", "missing", "a"));
        Assert.Equal(Int(3), _db.Run("HLEN", "h"));
        Assert.Equal(Status("hash"), _db.Run("TYPE", "h"));
        Assert.Equal(Err("ERR wrong number of arguments for 'hset' command"), _db.Run("HSET", "h", "a", "1", "b"));
        Assert.Equal(Err("ERR wrong number of arguments for 'hset' command"), _db.Run("HSET", "h", "a"));
        Assert.Equal(Int(3), _db.Run("HLEN", "h"));
    }

    [Fact]
    public void Hmset_replies_ok_and_hmget_keeps_argument_order()
    {
        Assert.Equal(Ok, _db.Run("HMSET", "h", "a", "1", "b", "2"));
        Assert.Equal(Array(Bulk("2"), Nil, Bulk("1")), _db.Run("HMGET", "h", "b", "x", "a"));
        Assert.Equal(Array(Nil, Nil), _db.Run("HMGET", "missing", "a", "b"));
        Assert.Equal(Err("ERR wrong number of arguments for 'hmset' command"), _db.Run("HMSET", "h", "a", "1", "b"));
    }

    [Fact]
    public void Hgetall_hkeys_hvals_follow_insertion_order_in_a_listpack()
    {
        _db.Run("HSET", "h", "z", "26", "a", "1", "m", "13");
        Assert.Equal(Bulks("z", "26", "a", "1", "m", "13"), _db.Run("HGETALL", "h"));
        Assert.Equal(Bulks("z", "a", "m"), _db.Run("HKEYS", "h"));
        Assert.Equal(Bulks("26", "1", "13"), _db.Run("HVALS", "h"));
        Assert.Equal("*0\r\n", _db.Run("HGETALL", "missing"));
        Assert.Equal("*0\r\n", _db.Run("HKEYS", "missing"));
    }

    [Fact]
    public void Hgetall_is_a_map_in_resp3()
    {
        var db = new Harness(version: RespVersion.Resp3);
        db.Run("HSET", "h", "a", "1", "b", "2");
        Assert.Equal("%2\r\n" + Bulk("a") + Bulk("1") + Bulk("b") + Bulk("2"), db.Run("HGETALL", "h"));
        Assert.Equal("%0\r\n", db.Run("HGETALL", "missing"));
        Assert.Equal("_\r\n", db.Run("HGET", "h", "zz"));
    }

    [Fact]
    public void Hdel_removes_fields_and_the_key_with_the_last_one()
    {
        _db.Run("HSET", "h", "a", "1", "b", "2", "c", "3");
        Assert.Equal(Int(2), _db.Run("HDEL", "h", "a", "zz", "c", "a"));
        Assert.Equal(Bulks("b", "2"), _db.Run("HGETALL", "h"));
        Assert.Equal(Int(1), _db.Run("HDEL", "h", "b"));
        Assert.Equal(Int(0), _db.Run("EXISTS", "h"));
        Assert.Equal(Int(0), _db.Run("HDEL", "h", "b"));
    }

    [Fact]
    public void Hexists_hstrlen_hsetnx()
    {
        _db.Run("HSET", "h", "a", "hello");
        Assert.Equal(Int(1), _db.Run("HEXISTS", "h", "a"));
        Assert.Equal(Int(0), _db.Run("HEXISTS", "h", "b"));
        Assert.Equal(Int(0), _db.Run("HEXISTS", "missing", "a"));
        Assert.Equal(Int(5), _db.Run("HSTRLEN", "h", "a"));
        Assert.Equal(Int(0), _db.Run("HSTRLEN", "h", "b"));
        Assert.Equal(Int(0), _db.Run("HSETNX", "h", "a", "other"));
        Assert.Equal(Bulk("hello"), _db.Run("HGET", "h", "a"));
        Assert.Equal(Int(1), _db.Run("HSETNX", "h", "b", "x"));
        Assert.Equal(Int(1), _db.Run("HSETNX", "new", "f", "v"));
        Assert.Equal(Bulk("v"), _db.Run("HGET", "new", "f"));
    }

    [Fact]
    public void Hincrby_adds_and_checks_its_inputs()
    {
        Assert.Equal(Int(5), _db.Run("HINCRBY", "h", "n", "5"));
        Assert.Equal(Int(2), _db.Run("HINCRBY", "h", "n", "-3"));
        Assert.Equal(Bulk("2"), _db.Run("HGET", "h", "n"));
        _db.Run("HSET", "h", "s", "abc", "big", long.MaxValue.ToString());
        Assert.Equal(Err("ERR hash value is not an integer"), _db.Run("HINCRBY", "h", "s", "1"));
        Assert.Equal(NotInteger, _db.Run("HINCRBY", "h", "n", "x"));
        Assert.Equal(NotInteger, _db.Run("HINCRBY", "h", "n", "1.5"));
        Assert.Equal(Err("ERR increment or decrement would overflow"), _db.Run("HINCRBY", "h", "big", "1"));
        Assert.Equal(NotInteger, _db.Run("HINCRBY", "fresh", "n", "x"));
        Assert.Equal(Int(0), _db.Run("EXISTS", "fresh"));
    }

    [Fact]
    public void Hincrbyfloat_formats_like_redis_and_rejects_bad_values()
    {
        Assert.Equal(Bulk("10.5"), _db.Run("HINCRBYFLOAT", "h", "f", "10.5"));
        Assert.Equal(Bulk("5010.5"), _db.Run("HINCRBYFLOAT", "h", "f", "5.0e3"));
        Assert.Equal(Bulk("5010"), _db.Run("HINCRBYFLOAT", "h", "f", "-0.5"));
        _db.Run("HSET", "h", "s", "abc");
        Assert.Equal(Err("ERR hash value is not a float"), _db.Run("HINCRBYFLOAT", "h", "s", "1"));
        Assert.Equal(Err("ERR value is not a valid float"), _db.Run("HINCRBYFLOAT", "h", "f", "x"));
        Assert.Equal(Err("ERR value is NaN or Infinity"), _db.Run("HINCRBYFLOAT", "h", "f", "inf"));
        Assert.Equal(Bulk("5010"), _db.Run("HGET", "h", "f"));
    }

    [Fact]
    public void Every_hash_command_refuses_another_type()
    {
        _db.Run("SET", "s", "v");
        string[][] commands =
        [
            ["HSET", "s", "a", "1"], ["HMSET", "s", "a", "1"], ["HSETNX", "s", "a", "1"], ["HGET", "s", "a"],
            ["HMGET", "s", "a"], ["HGETALL", "s"], ["HKEYS", "s"], ["HVALS", "s"], ["HDEL", "s", "a"],
            ["HEXISTS", "s", "a"], ["HLEN", "s"], ["HSTRLEN", "s", "a"], ["HINCRBY", "s", "a", "1"],
            ["HINCRBYFLOAT", "s", "a", "1"], ["HSCAN", "s", "0"], ["HRANDFIELD", "s"], ["HRANDFIELD", "s", "2"],
        ];
        foreach (var command in commands)
        {
            Assert.True(WrongType == _db.Run(command), string.Join(' ', command));
        }
        Assert.Equal(Bulk("v"), _db.Run("GET", "s"));
    }

    [Theory]
    [InlineData("HSET", 4)]
    [InlineData("HGET", 3)]
    [InlineData("HMGET", 3)]
    [InlineData("HGETALL", 2)]
    [InlineData("HDEL", 3)]
    [InlineData("HLEN", 2)]
    [InlineData("HINCRBY", 4)]
    [InlineData("HSCAN", 3)]
    [InlineData("HRANDFIELD", 2)]
    public void Arity_is_checked_by_the_table(string command, int minimum)
    {
        var words = new[] { command }.Concat(Enumerable.Repeat("x", minimum - 2)).ToArray();
        Assert.Equal(Err($"ERR wrong number of arguments for '{command.ToLowerInvariant()}' command"), _db.Run(words));
    }
}
