using System.Text;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.Keys;

public sealed class KeyCommandsTests
{
    private readonly Harness _db = new();

    private FakeList MakeList(string key, params string[] items)
    {
        var list = new FakeList(Encoding.UTF8.GetBytes(key));
        list.Items.AddRange(items.Select(Encoding.UTF8.GetBytes));
        _db.Machine.Keyspace.SetObject(list);
        return list;
    }

    [Fact]
    public void Del_unlink_exists_touch_count_keys()
    {
        _db.Run("MSET", "a", "1", "b", "2", "c", "3");
        Assert.Equal(Int(3), _db.Run("EXISTS", "a", "b", "c"));
        Assert.Equal(Int(4), _db.Run("EXISTS", "a", "a", "b", "c", "zz"));
        Assert.Equal(Int(2), _db.Run("TOUCH", "a", "b", "zz"));
        Assert.Equal(Int(2), _db.Run("DEL", "a", "b", "zz", "a"));
        Assert.Equal(Int(1), _db.Run("UNLINK", "c"));
        Assert.Equal(Int(0), _db.Run("DBSIZE"));
        Assert.Equal(Err("ERR wrong number of arguments for 'del' command"), _db.Run("DEL"));
    }

    [Fact]
    public void Type_names_each_kind()
    {
        _db.Run("SET", "s", "v");
        _db.Run("SET", "n", "12");
        MakeList("l");
        Assert.Equal(Status("string"), _db.Run("TYPE", "s"));
        Assert.Equal(Status("string"), _db.Run("TYPE", "n"));
        Assert.Equal(Status("list"), _db.Run("TYPE", "l"));
        Assert.Equal(Status("none"), _db.Run("TYPE", "zz"));
    }

    [Fact]
    public void Expire_family_sets_ttl_and_past_times_delete()
    {
        _db.Run("SET", "k", "v");
        Assert.Equal(Int(1), _db.Run("EXPIRE", "k", "100"));
        Assert.Equal(Int(100), _db.Run("TTL", "k"));
        Assert.Equal(Int(1), _db.Run("PEXPIRE", "k", "1500"));
        Assert.Equal(Int(1500), _db.Run("PTTL", "k"));
        Assert.Equal(Int(2), _db.Run("TTL", "k"));
        Assert.Equal(Int(1), _db.Run("EXPIREAT", "k", ((Harness.Epoch / 1000) + 10).ToString()));
        Assert.Equal(Int((Harness.Epoch / 1000) + 10), _db.Run("EXPIRETIME", "k"));
        Assert.Equal(Int(1), _db.Run("PEXPIREAT", "k", (Harness.Epoch + 777).ToString()));
        Assert.Equal(Int(Harness.Epoch + 777), _db.Run("PEXPIRETIME", "k"));
        Assert.Equal(Int(0), _db.Run("EXPIRE", "missing", "10"));
        Assert.Equal(Int(1), _db.Run("EXPIRE", "k", "-1"));
        Assert.Equal(Int(-2), _db.Run("TTL", "k"));
        _db.Run("SET", "k", "v");
        Assert.Equal(Int(1), _db.Run("PEXPIREAT", "k", Harness.Epoch.ToString()));
        Assert.Equal(Int(0), _db.Run("EXISTS", "k"));
        Assert.Equal(Int(-2), _db.Run("PTTL", "k"));
        Assert.Equal(Int(-2), _db.Run("EXPIRETIME", "k"));
        _db.Run("SET", "k", "v");
        Assert.Equal(Int(-1), _db.Run("PTTL", "k"));
        Assert.Equal(Int(-1), _db.Run("EXPIRETIME", "k"));
    }

    [Fact]
    public void Expire_conditions()
    {
        _db.Run("SET", "k", "v");
        Assert.Equal(Int(0), _db.Run("EXPIRE", "k", "100", "XX"));
        Assert.Equal(Int(0), _db.Run("EXPIRE", "k", "100", "GT"));
        Assert.Equal(Int(1), _db.Run("EXPIRE", "k", "100", "LT"));
        Assert.Equal(Int(0), _db.Run("EXPIRE", "k", "50", "NX"));
        Assert.Equal(Int(0), _db.Run("EXPIRE", "k", "50", "GT"));
        Assert.Equal(Int(1), _db.Run("EXPIRE", "k", "200", "gt"));
        Assert.Equal(Int(0), _db.Run("EXPIRE", "k", "300", "LT"));
        Assert.Equal(Int(1), _db.Run("EXPIRE", "k", "150", "XX", "LT"));
        Assert.Equal(Int(150), _db.Run("TTL", "k"));
        _db.Run("PERSIST", "k");
        Assert.Equal(Int(1), _db.Run("EXPIRE", "k", "50", "NX"));
        var incompatible = Err("ERR NX and XX, GT or LT options at the same time are not compatible");
        Assert.Equal(incompatible, _db.Run("EXPIRE", "k", "1", "NX", "XX"));
        Assert.Equal(incompatible, _db.Run("EXPIRE", "k", "1", "NX", "GT"));
        Assert.Equal(Err("ERR GT and LT options at the same time are not compatible"), _db.Run("EXPIRE", "k", "1", "GT", "LT"));
        Assert.Equal(Err("ERR Unsupported option FOO"), _db.Run("EXPIRE", "k", "1", "FOO"));
        Assert.Equal(NotInteger, _db.Run("EXPIRE", "k", "soon"));
        Assert.Equal(Err("ERR invalid expire time in 'expire' command"), _db.Run("EXPIRE", "k", "9223372036854775807"));
        Assert.Equal(Err("ERR invalid expire time in 'pexpire' command"), _db.Run("PEXPIRE", "k", "9223372036854775807"));
        Assert.Equal(Int(50), _db.Run("TTL", "k"));
    }

    [Fact]
    public void Persist_removes_expiry_once()
    {
        _db.Run("SET", "k", "v", "EX", "10");
        Assert.Equal(Int(1), _db.Run("PERSIST", "k"));
        Assert.Equal(Int(0), _db.Run("PERSIST", "k"));
        Assert.Equal(Int(0), _db.Run("PERSIST", "missing"));
        Assert.Equal(Int(-1), _db.Run("TTL", "k"));
    }

    [Fact]
    public void Rename_and_renamenx()
    {
        Assert.Equal(Err("ERR no such key"), _db.Run("RENAME", "a", "b"));
        Assert.Equal(Err("ERR no such key"), _db.Run("RENAMENX", "a", "b"));
        _db.Run("SET", "a", "1", "EX", "100");
        Assert.Equal(Ok, _db.Run("RENAME", "a", "a"));
        Assert.Equal(Ok, _db.Run("RENAME", "a", "b"));
        Assert.Equal(Int(0), _db.Run("EXISTS", "a"));
        Assert.Equal(Bulk("1"), _db.Run("GET", "b"));
        Assert.Equal(Int(100), _db.Run("TTL", "b"));
        _db.Run("SET", "c", "3");
        Assert.Equal(Int(0), _db.Run("RENAMENX", "b", "c"));
        Assert.Equal(Int(0), _db.Run("RENAMENX", "b", "b"));
        Assert.Equal(Int(1), _db.Run("RENAMENX", "b", "d"));
        Assert.Equal(Ok, _db.Run("RENAME", "d", "c"));
        Assert.Equal(Bulk("1"), _db.Run("GET", "c"));
        Assert.Equal(Int(1), _db.Run("DBSIZE"));
        MakeList("l", "x");
        Assert.Equal(Ok, _db.Run("RENAME", "l", "m"));
        Assert.Equal(Status("list"), _db.Run("TYPE", "m"));
    }

    [Fact]
    public void Copy_with_replace_and_db()
    {
        _db.Run("SET", "a", "1", "PX", "5000");
        Assert.Equal(Int(1), _db.Run("COPY", "a", "b"));
        Assert.Equal(Bulk("1"), _db.Run("GET", "b"));
        Assert.Equal(Int(5000), _db.Run("PTTL", "b"));
        _db.Run("SET", "a", "2");
        Assert.Equal(Int(0), _db.Run("COPY", "a", "b"));
        Assert.Equal(Int(1), _db.Run("COPY", "a", "b", "REPLACE"));
        Assert.Equal(Bulk("2"), _db.Run("GET", "b"));
        Assert.Equal(Int(0), _db.Run("COPY", "zz", "b"));
        Assert.Equal(Int(1), _db.Run("COPY", "a", "c", "DB", "0"));
        Assert.Equal(Err("ERR DB index is out of range"), _db.Run("COPY", "a", "c", "DB", "1"));
        Assert.Equal(Err("ERR source and destination objects are the same"), _db.Run("COPY", "a", "a"));
        Assert.Equal(Syntax, _db.Run("COPY", "a", "c", "BOGUS"));
        var list = MakeList("l", "x");
        Assert.Equal(Int(1), _db.Run("COPY", "l", "l2"));
        list.Items.Clear();
        var copy = (FakeList)_db.Machine.Keyspace.ObjectAt(_db.Machine.Keyspace.Find("l2"u8));
        Assert.Single(copy.Items);
    }

    [Fact]
    public void Keys_with_patterns_hides_expired()
    {
        _db.Run("MSET", "hello", "1", "hallo", "2", "hxllo", "3", "world", "4");
        _db.Run("SET", "hgone", "5", "PX", "10");
        _db.Now += 11;
        var keys = ParseArray(_db.Run("KEYS", "h?llo"));
        Assert.Equal(["hallo", "hello", "hxllo"], keys.Order());
        Assert.Equal(["hallo", "hello"], ParseArray(_db.Run("KEYS", "h[ae]llo")).Order());
        Assert.Equal(4, ParseArray(_db.Run("KEYS", "*")).Count);
        Assert.Equal("*0\r\n", _db.Run("KEYS", "nothing*"));
    }

    [Fact]
    public void Scan_returns_everything_with_match_count_and_type()
    {
        for (var i = 0; i < 500; i++)
        {
            _db.Run("SET", $"key:{i}", "v");
        }
        MakeList("list:1");
        var seen = new HashSet<string>();
        var cursor = "0";
        do
        {
            var (next, keys) = ParseScan(_db.Run("SCAN", cursor, "COUNT", "37"));
            seen.UnionWith(keys);
            cursor = next;
        }
        while (cursor != "0");
        Assert.Equal(501, seen.Count);
        Assert.Equal(["list:1"], ScanAll("MATCH", "list:*"));
        Assert.Equal(["list:1"], ScanAll("TYPE", "list"));
        Assert.Equal(500, ScanAll("TYPE", "STRING").Count);
        Assert.Equal(10, ScanAll("MATCH", "key:1?", "COUNT", "1000").Count);
        Assert.Equal(Err("ERR invalid cursor"), _db.Run("SCAN", "abc"));
        Assert.Equal(Err("ERR invalid cursor"), _db.Run("SCAN", "-1"));
        Assert.Equal(Syntax, _db.Run("SCAN", "0", "COUNT", "0"));
        Assert.Equal(NotInteger, _db.Run("SCAN", "0", "COUNT", "x"));
        Assert.Equal(Syntax, _db.Run("SCAN", "0", "MATCH"));
        Assert.Equal(Err("ERR unknown type name 'blob'"), _db.Run("SCAN", "0", "TYPE", "blob"));
    }

    [Fact]
    public void Randomkey_dbsize_flush()
    {
        Assert.Equal(Nil, _db.Run("RANDOMKEY"));
        _db.Run("MSET", "a", "1", "b", "2");
        Assert.Contains(_db.Run("RANDOMKEY"), new[] { Bulk("a"), Bulk("b") });
        Assert.Equal(Int(2), _db.Run("DBSIZE"));
        Assert.Equal(Syntax, _db.Run("FLUSHDB", "NOW"));
        Assert.Equal(Syntax, _db.Run("FLUSHALL", "SYNC", "ASYNC"));
        Assert.Equal(Ok, _db.Run("FLUSHDB", "async"));
        Assert.Equal(Int(0), _db.Run("DBSIZE"));
        _db.Run("SET", "a", "1", "EX", "5");
        Assert.Equal(Ok, _db.Run("FLUSHALL", "SYNC"));
        Assert.Equal(Int(0), _db.Run("DBSIZE"));
        Assert.Equal(0, _db.Machine.Keyspace.VolatileCount);
        _db.Run("SET", "only", "1", "PX", "5");
        _db.Now += 6;
        Assert.Equal(Nil, _db.Run("RANDOMKEY"));
    }

    private List<string> ScanAll(params string[] options)
    {
        var all = new List<string>();
        var cursor = "0";
        do
        {
            var (next, keys) = ParseScan(_db.Run(["SCAN", cursor, .. options]));
            all.AddRange(keys);
            cursor = next;
        }
        while (cursor != "0");
        return all;
    }

    internal static List<string> ParseArray(string reply)
    {
        var lines = reply.Split("\r\n");
        var result = new List<string>();
        for (var i = 1; i < lines.Length - 1; i += 2)
        {
            result.Add(lines[i + 1]);
        }
        return result;
    }

    internal static (string Cursor, List<string> Keys) ParseScan(string reply)
    {
        // *2 $n cursor *m ($k key)*
        var lines = reply.Split("\r\n");
        var keys = new List<string>();
        for (var i = 4; i < lines.Length - 1; i += 2)
        {
            keys.Add(lines[i + 1]);
        }
        return (lines[2], keys);
    }
}
