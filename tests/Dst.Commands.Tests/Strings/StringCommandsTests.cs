using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.Strings;

public sealed class StringCommandsTests
{
    private readonly Harness _db = new();

    private void MakeList(string key)
    {
        // No list type yet: a stand-in non-string value stored directly, as issue 3's types will be.
        lock (_db.Machine.SyncRoot)
        {
            _db.Machine.Keyspace.SetObject(new FakeList(System.Text.Encoding.UTF8.GetBytes(key)));
        }
    }

    [Fact]
    public void Get_and_set_round_trip_and_missing_is_nil()
    {
        Assert.Equal(Nil, _db.Run("GET", "k"));
        Assert.Equal(Ok, _db.Run("SET", "k", "hello"));
        Assert.Equal(Bulk("hello"), _db.Run("get", "k"));
        Assert.Equal(Ok, _db.Run("SET", "k", ""));
        Assert.Equal(Empty, _db.Run("GET", "k"));
    }

    [Fact]
    public void Integers_round_trip_exactly_including_non_canonical_text()
    {
        foreach (var value in new[] { "0", "-1", "9223372036854775807", "-9223372036854775808", "007", "+5", "-0", " 1", "1.0", "92233720368547758070" })
        {
            _db.Run("SET", "n", value);
            Assert.Equal(Bulk(value), _db.Run("GET", "n"));
            Assert.Equal(Int(value.Length), _db.Run("STRLEN", "n"));
        }
    }

    [Fact]
    public void Get_on_another_type_is_wrongtype()
    {
        MakeList("l");
        Assert.Equal(WrongType, _db.Run("GET", "l"));
        Assert.Equal(WrongType, _db.Run("STRLEN", "l"));
        Assert.Equal(WrongType, _db.Run("APPEND", "l", "x"));
        Assert.Equal(WrongType, _db.Run("INCR", "l"));
        Assert.Equal(WrongType, _db.Run("INCRBYFLOAT", "l", "1"));
        Assert.Equal(WrongType, _db.Run("GETRANGE", "l", "0", "1"));
        Assert.Equal(WrongType, _db.Run("SETRANGE", "l", "0", "x"));
        Assert.Equal(WrongType, _db.Run("GETSET", "l", "x"));
        Assert.Equal(WrongType, _db.Run("GETDEL", "l"));
        Assert.Equal(WrongType, _db.Run("GETEX", "l"));
        Assert.Equal(WrongType, _db.Run("SET", "l", "x", "GET"));
        Assert.Equal(Array(Nil), _db.Run("MGET", "l"));
        Assert.Equal(Ok, _db.Run("SET", "l", "x"));
        Assert.Equal(Bulk("x"), _db.Run("GET", "l"));
    }

    [Fact]
    public void Set_nx_xx_get()
    {
        Assert.Equal(Nil, _db.Run("SET", "k", "v", "XX"));
        Assert.Equal(Nil, _db.Run("GET", "k"));
        Assert.Equal(Ok, _db.Run("SET", "k", "v", "NX"));
        Assert.Equal(Nil, _db.Run("SET", "k", "w", "nx"));
        Assert.Equal(Ok, _db.Run("SET", "k", "w", "XX"));
        Assert.Equal(Bulk("w"), _db.Run("SET", "k", "x", "GET"));
        Assert.Equal(Bulk("x"), _db.Run("SET", "k", "y", "NX", "GET"));
        Assert.Equal(Bulk("x"), _db.Run("GET", "k"));
        Assert.Equal(Nil, _db.Run("SET", "new", "1", "GET"));
        Assert.Equal(Bulk("1"), _db.Run("GET", "new"));
        Assert.Equal(Nil, _db.Run("SET", "absent", "1", "XX", "GET"));
        Assert.Equal(Nil, _db.Run("GET", "absent"));
    }

    [Fact]
    public void Set_syntax_errors()
    {
        Assert.Equal(Syntax, _db.Run("SET", "k", "v", "NX", "XX"));
        Assert.Equal(Syntax, _db.Run("SET", "k", "v", "EX", "10", "PX", "100"));
        Assert.Equal(Syntax, _db.Run("SET", "k", "v", "EX"));
        Assert.Equal(Syntax, _db.Run("SET", "k", "v", "KEEPTTL", "EX", "10"));
        Assert.Equal(Syntax, _db.Run("SET", "k", "v", "PERSIST"));
        Assert.Equal(Syntax, _db.Run("SET", "k", "v", "BOGUS"));
        Assert.Equal(NotInteger, _db.Run("SET", "k", "v", "EX", "ten"));
        Assert.Equal(Err("ERR invalid expire time in 'set' command"), _db.Run("SET", "k", "v", "EX", "0"));
        Assert.Equal(Err("ERR invalid expire time in 'set' command"), _db.Run("SET", "k", "v", "PX", "-5"));
        Assert.Equal(Err("ERR invalid expire time in 'set' command"), _db.Run("SET", "k", "v", "EX", "9223372036854775807"));
        Assert.Equal(Err("ERR invalid expire time in 'set' command"), _db.Run("SET", "k", "v", "PX", "9223372036854775807"));
        Assert.Equal(Nil, _db.Run("GET", "k"));
        Assert.Equal(Ok, _db.Run("SET", "k", "v", "EX", "10", "EX", "20"));
        Assert.Equal(Int(20), _db.Run("TTL", "k"));
    }

    [Fact]
    public void Set_expiry_options_are_relative_to_the_entry_timestamp()
    {
        Assert.Equal(Ok, _db.Run("SET", "ex", "v", "EX", "100"));
        Assert.Equal(Ok, _db.Run("SET", "px", "v", "PX", "1500"));
        Assert.Equal(Ok, _db.Run("SET", "exat", "v", "EXAT", ((Harness.Epoch / 1000) + 50).ToString()));
        Assert.Equal(Ok, _db.Run("SET", "pxat", "v", "PXAT", (Harness.Epoch + 2500).ToString()));
        Assert.Equal(Int(100_000), _db.Run("PTTL", "ex"));
        Assert.Equal(Int(1500), _db.Run("PTTL", "px"));
        Assert.Equal(Int(50_000), _db.Run("PTTL", "exat"));
        Assert.Equal(Int(2500), _db.Run("PTTL", "pxat"));
        Assert.Equal(Int(Harness.Epoch + 1500), _db.Run("PEXPIRETIME", "px"));
        _db.Now += 1500;
        Assert.Equal(Bulk("v"), _db.Run("GET", "px"));
        _db.Now += 1;
        Assert.Equal(Nil, _db.Run("GET", "px"));
    }

    [Fact]
    public void Set_in_the_past_deletes_and_keepttl_keeps()
    {
        _db.Run("SET", "k", "v");
        Assert.Equal(Ok, _db.Run("SET", "k", "v2", "PXAT", (Harness.Epoch - 1).ToString()));
        Assert.Equal(Int(0), _db.Run("EXISTS", "k"));
        _db.Run("SET", "k", "v", "EX", "100");
        Assert.Equal(Ok, _db.Run("SET", "k", "w", "KEEPTTL"));
        Assert.Equal(Int(100), _db.Run("TTL", "k"));
        Assert.Equal(Ok, _db.Run("SET", "k", "z"));
        Assert.Equal(Int(-1), _db.Run("TTL", "k"));
    }

    [Fact]
    public void Setnx_setxx_setex_psetex()
    {
        Assert.Equal(Int(0), _db.Run("SETXX", "k", "a"));
        Assert.Equal(Int(0), _db.Run("EXISTS", "k"));
        Assert.Equal(Int(1), _db.Run("SETNX", "k", "a"));
        Assert.Equal(Int(0), _db.Run("SETNX", "k", "b"));
        Assert.Equal(Int(1), _db.Run("SETXX", "k", "c"));
        Assert.Equal(Bulk("c"), _db.Run("GET", "k"));
        Assert.Equal(Ok, _db.Run("SETEX", "k", "10", "d"));
        Assert.Equal(Int(10), _db.Run("TTL", "k"));
        Assert.Equal(Ok, _db.Run("PSETEX", "k", "2000", "e"));
        Assert.Equal(Int(2000), _db.Run("PTTL", "k"));
        Assert.Equal(Err("ERR invalid expire time in 'setex' command"), _db.Run("SETEX", "k", "0", "x"));
        Assert.Equal(Err("ERR invalid expire time in 'psetex' command"), _db.Run("PSETEX", "k", "-1", "x"));
        Assert.Equal(NotInteger, _db.Run("SETEX", "k", "x", "x"));
        Assert.Equal(Err("ERR wrong number of arguments for 'setex' command"), _db.Run("SETEX", "k", "10"));
    }

    [Fact]
    public void Getset_getdel_clear_ttl_and_delete()
    {
        Assert.Equal(Nil, _db.Run("GETSET", "k", "a"));
        _db.Run("EXPIRE", "k", "100");
        Assert.Equal(Bulk("a"), _db.Run("GETSET", "k", "b"));
        Assert.Equal(Int(-1), _db.Run("TTL", "k"));
        Assert.Equal(Bulk("b"), _db.Run("GETDEL", "k"));
        Assert.Equal(Nil, _db.Run("GETDEL", "k"));
        Assert.Equal(Int(0), _db.Run("EXISTS", "k"));
    }

    [Fact]
    public void Getex_sets_or_removes_expiry()
    {
        Assert.Equal(Nil, _db.Run("GETEX", "k", "EX", "10"));
        _db.Run("SET", "k", "v");
        Assert.Equal(Bulk("v"), _db.Run("GETEX", "k"));
        Assert.Equal(Int(-1), _db.Run("TTL", "k"));
        Assert.Equal(Bulk("v"), _db.Run("GETEX", "k", "EX", "10"));
        Assert.Equal(Int(10), _db.Run("TTL", "k"));
        Assert.Equal(Bulk("v"), _db.Run("GETEX", "k", "PX", "500"));
        Assert.Equal(Int(500), _db.Run("PTTL", "k"));
        Assert.Equal(Bulk("v"), _db.Run("GETEX", "k", "PERSIST"));
        Assert.Equal(Int(-1), _db.Run("TTL", "k"));
        Assert.Equal(Bulk("v"), _db.Run("GETEX", "k", "EXAT", ((Harness.Epoch / 1000) - 1).ToString()));
        Assert.Equal(Int(0), _db.Run("EXISTS", "k"));
        Assert.Equal(Syntax, _db.Run("GETEX", "k", "PERSIST", "EX", "1"));
        Assert.Equal(Syntax, _db.Run("GETEX", "k", "KEEPTTL"));
        Assert.Equal(Syntax, _db.Run("GETEX", "k", "NX"));
        Assert.Equal(Nil, _db.Run("GETEX", "k", "EX", "0")); // as Redis: a missing key is answered before the time is checked
        _db.Run("SET", "k", "v");
        Assert.Equal(Err("ERR invalid expire time in 'getex' command"), _db.Run("GETEX", "k", "EX", "0"));
    }

    [Fact]
    public void Mget_mset_msetnx()
    {
        Assert.Equal(Ok, _db.Run("MSET", "a", "1", "b", "2"));
        Assert.Equal(Bulks("1", "2"), _db.Run("MGET", "a", "b")[..]);
        Assert.Equal(Array(Bulk("1"), Nil, Bulk("2")), _db.Run("MGET", "a", "zz", "b"));
        Assert.Equal(Err("ERR wrong number of arguments for 'mset' command"), _db.Run("MSET", "a", "1", "b"));
        Assert.Equal(Err("ERR wrong number of arguments for 'msetnx' command"), _db.Run("MSETNX", "a", "1", "b"));
        Assert.Equal(Int(0), _db.Run("MSETNX", "c", "3", "a", "9"));
        Assert.Equal(Nil, _db.Run("GET", "c"));
        Assert.Equal(Int(1), _db.Run("MSETNX", "c", "3", "d", "4"));
        Assert.Equal(Bulks("1", "2", "3", "4"), _db.Run("MGET", "a", "b", "c", "d"));
        _db.Run("EXPIRE", "a", "10");
        _db.Run("MSET", "a", "5");
        Assert.Equal(Int(-1), _db.Run("TTL", "a"));
    }

    [Fact]
    public void Append_and_strlen()
    {
        Assert.Equal(Int(0), _db.Run("STRLEN", "k"));
        Assert.Equal(Int(5), _db.Run("APPEND", "k", "hello"));
        Assert.Equal(Int(11), _db.Run("APPEND", "k", " world"));
        Assert.Equal(Bulk("hello world"), _db.Run("GET", "k"));
        Assert.Equal(Int(11), _db.Run("STRLEN", "k"));
        _db.Run("SET", "n", "12");
        _db.Run("EXPIRE", "n", "100");
        Assert.Equal(Int(3), _db.Run("APPEND", "n", "3"));
        Assert.Equal(Int(124), _db.Run("INCR", "n"));
        Assert.Equal(Int(100), _db.Run("TTL", "n"));
    }

    [Fact]
    public void Append_and_setrange_obey_proto_max_bulk_len()
    {
        var small = new Harness(new StateMachineOptions { ProtoMaxBulkLen = 10 });
        small.Run("SET", "k", "12345");
        Assert.Equal(Int(10), small.Run("APPEND", "k", "67890"));
        Assert.Equal(Err(CommandErrors.StringTooLong), small.Run("APPEND", "k", "x"));
        Assert.Equal(Err(CommandErrors.StringTooLong), small.Run("SETRANGE", "k", "10", "x"));
        Assert.Equal(Err(CommandErrors.StringTooLong), small.Run("SETRANGE", "new", "8", "abc"));
        Assert.Equal(Bulk("1234567890"), small.Run("GET", "k"));
        Assert.Equal(Err(CommandErrors.StringTooLong), _db.Run("SETRANGE", "k", "536870911", "xy"));
        Assert.Equal(Err(CommandErrors.StringTooLong), _db.Run("SETRANGE", "k", "9223372036854775807", "1e2")); // the offset plus the length overflow a long
    }

    [Fact]
    public void Incr_family()
    {
        Assert.Equal(Int(1), _db.Run("INCR", "n"));
        Assert.Equal(Int(0), _db.Run("DECR", "n"));
        Assert.Equal(Int(10), _db.Run("INCRBY", "n", "10"));
        Assert.Equal(Int(7), _db.Run("DECRBY", "n", "3"));
        Assert.Equal(Int(-3), _db.Run("DECRBY", "n", "10"));
        Assert.Equal(Bulk("-3"), _db.Run("GET", "n"));
        Assert.Equal(NotInteger, _db.Run("INCRBY", "n", "1.5"));
        Assert.Equal(NotInteger, _db.Run("INCRBY", "n", "abc"));
        _db.Run("SET", "s", "abc");
        Assert.Equal(NotInteger, _db.Run("INCR", "s"));
        _db.Run("SET", "s", " 1");
        Assert.Equal(NotInteger, _db.Run("INCR", "s"));
        _db.Run("SET", "s", "9223372036854775807");
        Assert.Equal(Err(CommandErrors.Overflow), _db.Run("INCR", "s"));
        _db.Run("SET", "s", "-9223372036854775808");
        Assert.Equal(Err(CommandErrors.Overflow), _db.Run("DECR", "s"));
        Assert.Equal(Err("ERR decrement would overflow"), _db.Run("DECRBY", "s", "-9223372036854775808"));
        Assert.Equal(Bulk("-9223372036854775808"), _db.Run("GET", "s"));
        _db.Run("SET", "t", "5", "EX", "100");
        Assert.Equal(Int(6), _db.Run("INCR", "t"));
        Assert.Equal(Int(100), _db.Run("TTL", "t"));
    }

    [Fact]
    public void Incrbyfloat()
    {
        _db.Run("SET", "f", "10.50");
        Assert.Equal(Bulk("10.6"), _db.Run("INCRBYFLOAT", "f", "0.1"));
        Assert.Equal(Bulk("5010.60000000000000009"), _db.Run("INCRBYFLOAT", "f", "5.0e3")); // long double, as redis-server 7.0 (LongDoubleTests)
        Assert.Equal(Bulk("5010.60000000000000009"), _db.Run("GET", "f"));
        Assert.Equal(Bulk("3"), _db.Run("INCRBYFLOAT", "new", "3"));
        Assert.Equal(Bulk("100000000000000000000"), _db.Run("INCRBYFLOAT", "big", "1e20"));
        Assert.Equal(Bulk("0.00001"), _db.Run("INCRBYFLOAT", "tiny", "1e-5"));
        Assert.Equal(Err(CommandErrors.NotFloat), _db.Run("INCRBYFLOAT", "f", "abc"));
        Assert.Equal(Err(CommandErrors.NotFloat), _db.Run("INCRBYFLOAT", "f", " 1"));
        Assert.Equal(Err(CommandErrors.NotFloat), _db.Run("INCRBYFLOAT", "f", "nan"));
        Assert.Equal(Err(CommandErrors.NaNOrInfinity), _db.Run("INCRBYFLOAT", "f", "inf"));
        Assert.Equal(Err(CommandErrors.NotFloat), _db.Run("INCRBYFLOAT", "f", "1e5000")); // past even a long double
        _db.Run("SET", "s", "text");
        Assert.Equal(Err(CommandErrors.NotFloat), _db.Run("INCRBYFLOAT", "s", "1"));
    }

    [Fact]
    public void Getrange_like_redis()
    {
        _db.Run("SET", "k", "This is a string");
        Assert.Equal(Bulk("This"), _db.Run("GETRANGE", "k", "0", "3"));
        Assert.Equal(Bulk("ing"), _db.Run("GETRANGE", "k", "-3", "-1"));
        Assert.Equal(Bulk("This is a string"), _db.Run("GETRANGE", "k", "0", "-1"));
        Assert.Equal(Bulk("string"), _db.Run("GETRANGE", "k", "10", "100"));
        Assert.Equal(Empty, _db.Run("GETRANGE", "k", "5", "3"));
        Assert.Equal(Empty, _db.Run("GETRANGE", "k", "-1", "-5"));
        Assert.Equal(Bulk("T"), _db.Run("GETRANGE", "k", "-100", "0"));
        Assert.Equal(Empty, _db.Run("GETRANGE", "missing", "0", "-1"));
        Assert.Equal(NotInteger, _db.Run("GETRANGE", "k", "a", "1"));
        _db.Run("SET", "n", "12345");
        Assert.Equal(Bulk("234"), _db.Run("GETRANGE", "n", "1", "3"));
    }

    [Fact]
    public void Setrange_like_redis()
    {
        _db.Run("SET", "k", "Hello World");
        Assert.Equal(Int(11), _db.Run("SETRANGE", "k", "6", "Redis"));
        Assert.Equal(Bulk("Hello Redis"), _db.Run("GET", "k"));
        Assert.Equal(Int(11), _db.Run("SETRANGE", "k", "3", ""));
        Assert.Equal(Int(0), _db.Run("SETRANGE", "missing", "5", ""));
        Assert.Equal(Int(0), _db.Run("EXISTS", "missing"));
        Assert.Equal(Int(8), _db.Run("SETRANGE", "pad", "5", "abc"));
        Assert.Equal(Bulk("\0\0\0\0\0abc"), _db.Run("GET", "pad"));
        Assert.Equal(Err(CommandErrors.OffsetOutOfRange), _db.Run("SETRANGE", "k", "-1", "x"));
        Assert.Equal(NotInteger, _db.Run("SETRANGE", "k", "x", "x"));
        _db.Run("SET", "n", "100", "EX", "50");
        Assert.Equal(Int(3), _db.Run("SETRANGE", "n", "0", "2"));
        Assert.Equal(Int(201), _db.Run("INCR", "n"));
        Assert.Equal(Int(50), _db.Run("TTL", "n"));
    }
}
