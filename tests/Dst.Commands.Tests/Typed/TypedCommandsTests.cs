using Dst.Protocol;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.Typed;

public sealed class TypedCommandsTests
{
    private static readonly string OkBulk = Bulk("ok");

    [Fact]
    public void Str_commands_are_the_string_engine()
    {
        var db = new Harness();
        Assert.Equal(OkBulk, db.Run("str.put", "k1", "v1"));
        Assert.Equal(Bulk("v1"), db.Run("str.get", "k1"));
        Assert.Equal(Bulk("v1"), db.Run("GET", "k1"));
        Assert.Equal(Ok, db.Run("SET", "k2", "v2"));
        Assert.Equal(Bulk("v2"), db.Run("STR.GET", "k2"));
        Assert.Equal(Int(2), db.Run("str.del", "k1", "k2", "missing"));
        Assert.Equal(Nil, db.Run("str.get", "k1"));
    }

    [Fact]
    public void Arity_errors_name_the_typed_command()
    {
        var db = new Harness();
        Assert.Equal(Err("ERR wrong number of arguments for 'str.put' command"), db.Run("str.put", "k"));
        Assert.Equal(Err("ERR wrong number of arguments for 'str.get' command"), db.Run("str.get"));
        Assert.Equal(Err("ERR wrong number of arguments for 'dict.put' command"), db.Run("dict.put", "d", "f"));
        Assert.Equal(Err("ERR wrong number of arguments for 'dict.put' command"), db.Run("dict.put", "d", "f1", "v1", "f2"));
        Assert.Equal(Err("ERR wrong number of arguments for 'dict.get' command"), db.Run("dict.get", "d", "f1", "f2"));
        Assert.Equal(Err("ERR wrong number of arguments for 'list.get' command"), db.Run("list.get", "l", "0", "1"));
        Assert.Equal(Err("ERR wrong number of arguments for 'zset.add' command"), db.Run("zset.add", "z", "1", "a", "2"));
        Assert.Equal(0, db.Machine.Keyspace.Count);
    }

    [Fact]
    public void Dict_commands_are_the_hash_engine()
    {
        var db = new Harness();
        Assert.Equal(OkBulk, db.Run("dict.put", "dict_1", "k1", "v1", "k2", "v2"));
        Assert.Equal(Bulks("k1", "v1", "k2", "v2"), db.Run("dict.get", "dict_1"));
        Assert.Equal(Bulk("v2"), db.Run("dict.get", "dict_1", "k2"));
        Assert.Equal(Bulk("v1"), db.Run("HGET", "dict_1", "k1"));
        Assert.Equal(Nil, db.Run("dict.get", "dict_1", "nope"));
        Assert.Equal(Bulks("k1", "k2"), db.Run("dict.keys", "dict_1"));
        Assert.Equal(Int(2), db.Run("dict.len", "dict_1"));
        Assert.Equal(Int(1), db.Run("dict.has", "dict_1", "k2"));
        Assert.Equal(Int(1), db.Run("dict.del", "dict_1", "k2", "nope"));
        Assert.Equal(Bulks("k1", "v1"), db.Run("dict.get", "dict_1"));
        Assert.Equal(Array(), db.Run("dict.get", "missing"));
    }

    [Fact]
    public void Dict_get_is_a_map_in_resp3()
    {
        var db = new Harness(version: RespVersion.Resp3);
        db.Run("dict.put", "d", "k1", "v1");
        Assert.Equal("%1\r\n" + Bulk("k1") + Bulk("v1"), db.Run("dict.get", "d"));
    }

    [Fact]
    public void Wrong_types_are_refused_and_change_nothing()
    {
        var db = new Harness();
        db.Run("str.put", "s", "x");
        Assert.Equal(WrongType, db.Run("dict.put", "s", "f", "v"));
        Assert.Equal(WrongType, db.Run("list.push", "s", "a"));
        Assert.Equal(WrongType, db.Run("zset.add", "s", "1", "a"));
        db.Run("dict.put", "d", "f", "v");
        Assert.Equal(WrongType, db.Run("str.get", "d"));
        Assert.Equal(Bulk("x"), db.Run("GET", "s"));
        // str.put replaces any type, as SET does.
        Assert.Equal(OkBulk, db.Run("str.put", "d", "now a string"));
        Assert.Equal(Status("string"), db.Run("TYPE", "d"));
    }

    [Fact]
    public void List_commands_are_the_list_engine()
    {
        var db = new Harness();
        Assert.Equal(Int(3), db.Run("list.push", "l", "a", "b", "c"));
        Assert.Equal(Bulks("a", "b", "c"), db.Run("list.get", "l"));
        Assert.Equal(Bulks("a", "b", "c"), db.Run("LRANGE", "l", "0", "-1"));
        Assert.Equal(Bulk("b"), db.Run("list.get", "l", "1"));
        Assert.Equal(Bulk("c"), db.Run("list.get", "l", "-1"));
        Assert.Equal(Bulks("b", "c"), db.Run("list.range", "l", "1", "-1"));
        Assert.Equal(Int(3), db.Run("list.len", "l"));
        Assert.Equal(Bulk("c"), db.Run("list.pop", "l"));
        Assert.Equal(NotInteger, db.Run("list.get", "l", "x"));
        Assert.Equal(Array(), db.Run("list.get", "missing"));
    }

    [Fact]
    public void Zset_commands_are_the_sorted_set_engine()
    {
        var db = new Harness();
        Assert.Equal(Int(3), db.Run("zset.add", "z", "2", "b", "1", "a", "3", "c"));
        Assert.Equal(Bulks("a", "b", "c"), db.Run("zset.range", "z", "0", "-1"));
        Assert.Equal(Bulks("a", "1", "b", "2"), db.Run("zset.range", "z", "0", "1", "WITHSCORES"));
        Assert.Equal(Bulk("2"), db.Run("zset.score", "z", "b"));
        Assert.Equal(Bulk("2"), db.Run("ZSCORE", "z", "b"));
        Assert.Equal(Int(1), db.Run("zset.del", "z", "b", "nope"));
        Assert.Equal(Int(2), db.Run("ZCARD", "z"));
    }

    [Fact]
    public void Set_commands_are_the_set_engine()
    {
        var db = new Harness();
        Assert.Equal(Int(2), db.Run("set.add", "s", "a", "b", "a"));
        Assert.Equal(Int(1), db.Run("set.has", "s", "a"));
        Assert.Equal(Int(0), db.Run("set.has", "s", "z"));
        Assert.Equal(Int(2), db.Run("set.len", "s"));
        Assert.Equal(Int(1), db.Run("SISMEMBER", "s", "b"));
        Assert.Equal(Int(1), db.Run("set.del", "s", "a", "z"));
        Assert.Equal(Bulks("b"), db.Run("set.members", "s"));
        Assert.Equal(Status("set"), db.Run("TYPE", "s"));
    }

    [Fact]
    public void Zset_add_takes_no_option_words()
    {
        var db = new Harness();
        Assert.Equal(Err("ERR value is not a valid float"), db.Run("zset.add", "z", "nx", "a"));
        Assert.Equal(Err("ERR value is not a valid float"), db.Run("zset.add", "z", "1", "a", "nan", "b"));
        Assert.Equal(0, db.Machine.Keyspace.Count);
    }

    [Fact]
    public void Typed_commands_are_listed_with_their_own_rows()
    {
        var table = CommandTable.Default;
        var put = table.Lookup("str.put")!;
        Assert.Equal((3, true, 1, 1, 1), (put.Arity, put.IsWrite, put.FirstKey, put.LastKey, put.KeyStep));
        var get = table.Lookup("dict.get")!;
        Assert.Equal((-2, true), (get.Arity, get.IsReadOnly));
        Assert.All(table.All.Where(s => s.Group == "dst"), spec => Assert.Contains('.', spec.Name));
    }
}
