using System.Globalization;
using System.Text;

namespace Dst.Server.Tests.Compatibility;

/// <summary>
/// Random commands over six keys. Each data type has a home key that its commands pick 80% of the
/// time (90% for strings, as SET overwrites any type; k1 string, k2 hash, k3 list, k4 set, k5 zset;
/// k6 has none), and the commands that create values are drawn twice as often, so values grow deep
/// enough to matter while types still collide and WRONGTYPE paths are hit. Values, members, numbers and range
/// bounds come from small pools that mix good values with bad ones (not integers, NaN, infinities,
/// out-of-range, empty, binary), and some calls have the wrong number of arguments. Now and then a
/// few commands come wrapped in a transaction (see <see cref="Transaction"/>).
/// </summary>
internal sealed class CommandGenerator
{
    public static readonly string[] KeyNames = ["k1", "k2", "k3", "k4", "k5", "k6"];

    private const int StringKey = 0;
    private const int HashKey = 1;
    private const int ListKey = 2;
    private const int SetKey = 3;
    private const int ZSetKey = 4;
    private const int AnyKey = 5;

    private static readonly byte[][] Values =
    [
        .. Utf8("", "0", "1", "-1", "7", "42", "3.5", "-0.5", "1e2", "abc", "hello world", "9223372036854775807", "-9223372036854775808",
            " 5", "0x10", "inf", "+1", "1.0", "00", "é", new string('v', 70)),
        [0x00, 0xff, 0xfe, 0x0d, 0x0a],
    ];

    /// <summary>Members and fields; the 70-byte one turns Redis's compact encodings (listpack, intset) into the big ones.</summary>
    private static readonly byte[][] Members = [.. Utf8("a", "b", "c", "d", "", "1", "2", "10", "-1", "1.5", "é", "\0x", new string('m', 70)), [0xff]];

    private static readonly string[] Integers = ["0", "1", "-1", "2", "-2", "3", "5", "-5", "10", "100", "-100"];
    private static readonly string[] BadIntegers = ["abc", "1.5", "", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "+1", " 1", "0x1"];
    private static readonly string[] Counts = ["0", "1", "2", "3", "10"];
    private static readonly string[] BadCounts = ["-1", "abc", "", "-9223372036854775808", "9223372036854775808", "1.5"];
    private static readonly string[] Scores = ["0", "1", "-1", "2", "2.5", "-3.25", "10", "1e3", "0.1", "+inf", "-inf", "inf", "-0", "1.5e-3", "3", "0x10", "Infinity", "1e-400", "1e-320"];
    private static readonly string[] BadScores = ["nan", "NaN", "abc", "", "1x", " 1", "(1"];
    private static readonly string[] Increments =
        ["1", "-1", "0.5", "2.5e1", "-0.1", "0.1", "0.2", "0", "3", "1e308", "10.75", "-2", "0x10", "1.1", "10.6", "5.0e3", "-3.3333", "1e17", "1e-5", "123456789.987654321", "1e-400"];
    private static readonly string[] BadIncrements = ["abc", "inf", "-inf", "nan", "", " 1", "1e400"];
    private static readonly string[] ScoreBounds = ["-inf", "+inf", "0", "1", "(1", "2.5", "(2.5", "-1", "(0", "10", "inf", "(-inf", "3"];
    private static readonly string[] BadScoreBounds = ["abc", "(", "[1", " 1", "nan", "((1", "", "(0x10"];
    private static readonly string[] LexBounds = ["-", "+", "[a", "(a", "[b", "(c", "[d", "[", "(", "[1", "[é"];
    private static readonly string[] BadLexBounds = ["a", "", "{a", "1"];
    private static readonly string[] Seconds = ["100", "200", "1000", "5000"];
    private static readonly string[] BadSeconds = ["0", "-1", "abc", "9223372036854775807", "-9223372036854775808", "1.5", ""];
    private static readonly string[] Milliseconds = ["150000", "250000", "1500000"];
    private static readonly string[] BadMilliseconds = ["0", "-5", "abc", "9223372036854775807", ""];
    private static readonly string[] Offsets = ["0", "1", "2", "5", "10", "30"];
    private static readonly string[] BadOffsets = ["-1", "abc", "536870912", "", "-9223372036854775808", "9223372036854775807", "4294967296"];

    /// <summary>GETRANGE's start and end: in range, negative past the start, and past the ends of 32 and 64 bits.</summary>
    private static readonly string[] RangeOffsets =
        ["0", "1", "-1", "2", "-2", "5", "-5", "100", "-100", "2147483648", "-2147483649", "9223372036854775807", "-9223372036854775808", "abc", ""];

    /// <summary>Counts for SRANDMEMBER and the like; no huge negative one (it asks for that many picks).</summary>
    private static readonly string[] PickCounts = ["0", "1", "-1", "-3", "2", "5", "abc", "", "1.5", "-9223372036854775808"];

    private static readonly string[] ScanPatterns = ["*", "k1", "k[1-3]", "k?", "a*", "?", "*1*", "[", "\\", "m*"];
    private static readonly string[] ScanTypes = ["string", "hash", "list", "set", "zset", "none", "nosuchtype"];

    /// <summary>How many times more often than the others the commands that create values are drawn.</summary>
    private static readonly Dictionary<string, int> Weights = new() { ["HSET"] = 2, ["LPUSH"] = 2, ["RPUSH"] = 2, ["SADD"] = 2, ["ZADD"] = 3 };

    private readonly Random _random;
    private readonly (string Name, Func<Command> Make)[] _commands;
    private readonly (string Name, Func<Command> Make)[] _draws;

    public CommandGenerator(Random random)
    {
        _random = random;
        _commands =
        [
            // strings
            ("GET", () => Command.Of("GET", Key(StringKey))),
            ("SET", Set),
            ("SETNX", () => Command.Of("SETNX", Key(StringKey), Value())),
            ("GETSET", () => Command.Of("GETSET", Key(StringKey), Value())),
            ("GETDEL", () => Command.Of("GETDEL", Key(StringKey))),
            ("MGET", () => Command.Of("MGET", Repeat(1, 4, () => Key(StringKey)))),
            ("MSET", () => Command.Of("MSET", KeyValuePairs())),
            ("MSETNX", () => Command.Of("MSETNX", KeyValuePairs())),
            ("APPEND", () => Command.Of("APPEND", Key(StringKey), Value())),
            ("STRLEN", () => Command.Of("STRLEN", Key(StringKey))),
            ("INCR", () => Command.Of("INCR", Key(StringKey))),
            ("DECR", () => Command.Of("DECR", Key(StringKey))),
            ("INCRBY", () => Command.Of("INCRBY", Key(StringKey), Integer())),
            ("DECRBY", () => Command.Of("DECRBY", Key(StringKey), Integer())),
            ("INCRBYFLOAT", () => Command.Of("INCRBYFLOAT", Key(StringKey), Increment())),
            ("GETRANGE", () => Command.Of("GETRANGE", Key(StringKey), Pick(RangeOffsets), Pick(RangeOffsets))),
            ("SETRANGE", () => Command.Of("SETRANGE", Key(StringKey), Offset(), Value())),
            ("GETEX", GetEx),
            ("SETEX", () => Command.Of("SETEX", Key(StringKey), Chance(85) ? Pick(Seconds) : Pick(BadSeconds), Value())),
            ("PSETEX", () => Command.Of("PSETEX", Key(StringKey), Chance(85) ? Pick(Milliseconds) : Pick(BadMilliseconds), Value())),

            // keys
            ("DEL", () => Command.Of("DEL", Repeat(1, 3, () => Key(AnyKey)))),
            ("UNLINK", () => Command.Of("UNLINK", Repeat(1, 3, () => Key(AnyKey)))),
            ("EXISTS", () => Command.Of("EXISTS", Repeat(1, 4, () => Key(AnyKey)))),
            ("TOUCH", () => Command.Of("TOUCH", Repeat(1, 3, () => Key(AnyKey)))),
            ("TYPE", () => Command.Of("TYPE", Key(AnyKey))),
            ("EXPIRE", () => Command.Of("EXPIRE", Key(AnyKey), Chance(80) ? Pick(Seconds) : Pick(BadSeconds), ExpireCondition())),
            ("PEXPIRE", () => Command.Of("PEXPIRE", Key(AnyKey), Chance(80) ? Pick(Milliseconds) : Pick(BadMilliseconds), ExpireCondition())),
            ("PERSIST", () => Command.Of("PERSIST", Key(AnyKey))),
            ("TTL", () => Command.Of("TTL", Key(AnyKey))),
            ("PTTL", () => Command.Of("PTTL", Key(AnyKey))),
            ("EXPIRETIME", () => Command.Of("EXPIRETIME", Key(AnyKey))),
            ("RENAME", () => Command.Of("RENAME", Key(AnyKey), Key(AnyKey))),
            ("RENAMENX", () => Command.Of("RENAMENX", Key(AnyKey), Key(AnyKey))),
            ("COPY", () => Command.Of("COPY", Key(AnyKey), Key(AnyKey), Chance(40) ? [Word("REPLACE")] : Array.Empty<object>())),
            ("DBSIZE", () => Command.Of("DBSIZE")),
            ("OBJECT", ObjectEncoding),
            ("SCAN", () => Scan("SCAN", [])),

            // hashes
            ("HSET", () => Command.Of("HSET", Key(HashKey), FieldValuePairs())),
            ("HMSET", () => Command.Of("HMSET", Key(HashKey), FieldValuePairs())),
            ("HGET", () => Command.Of("HGET", Key(HashKey), Member())),
            ("HMGET", () => Command.Of("HMGET", Key(HashKey), Repeat(1, 4, Member))),
            ("HGETALL", () => Command.Of("HGETALL", Key(HashKey))),
            ("HDEL", () => Command.Of("HDEL", Key(HashKey), Repeat(1, 3, Member))),
            ("HEXISTS", () => Command.Of("HEXISTS", Key(HashKey), Member())),
            ("HLEN", () => Command.Of("HLEN", Key(HashKey))),
            ("HKEYS", () => Command.Of("HKEYS", Key(HashKey))),
            ("HVALS", () => Command.Of("HVALS", Key(HashKey))),
            ("HINCRBY", () => Command.Of("HINCRBY", Key(HashKey), Member(), Integer())),
            ("HINCRBYFLOAT", () => Command.Of("HINCRBYFLOAT", Key(HashKey), Member(), Increment())),
            ("HSETNX", () => Command.Of("HSETNX", Key(HashKey), Member(), Value())),
            ("HSTRLEN", () => Command.Of("HSTRLEN", Key(HashKey), Member())),
            ("HRANDFIELD", () => RandomPick("HRANDFIELD", HashKey, "WITHVALUES")),
            ("HSCAN", () => Scan("HSCAN", [Key(HashKey)])),

            // lists
            ("LPUSH", () => Command.Of("LPUSH", Key(ListKey), Repeat(1, 3, Member))),
            ("RPUSH", () => Command.Of("RPUSH", Key(ListKey), Repeat(1, 3, Member))),
            ("LPUSHX", () => Command.Of("LPUSHX", Key(ListKey), Repeat(1, 3, Member))),
            ("RPUSHX", () => Command.Of("RPUSHX", Key(ListKey), Repeat(1, 3, Member))),
            ("LPOP", () => Command.Of("LPOP", Key(ListKey), Optional(Count))),
            ("RPOP", () => Command.Of("RPOP", Key(ListKey), Optional(Count))),
            ("LRANGE", () => Command.Of("LRANGE", Key(ListKey), Integer(), Integer())),
            ("LLEN", () => Command.Of("LLEN", Key(ListKey))),
            ("LINDEX", () => Command.Of("LINDEX", Key(ListKey), Integer())),
            ("LSET", () => Command.Of("LSET", Key(ListKey), Integer(), Member())),
            ("LREM", () => Command.Of("LREM", Key(ListKey), Integer(), Member())),
            ("LTRIM", () => Command.Of("LTRIM", Key(ListKey), Integer(), Integer())),
            ("LINSERT", () => Command.Of("LINSERT", Key(ListKey), Word(Chance(90) ? Pick(["BEFORE", "AFTER"]) : "MIDDLE"), Member(), Member())),
            ("LPOS", LPos),
            ("LMOVE", () => Command.Of("LMOVE", Key(ListKey), Key(ListKey), Side(), Side())),
            ("RPOPLPUSH", () => Command.Of("RPOPLPUSH", Key(ListKey), Key(ListKey))),
            ("LMPOP", () => Command.Of("LMPOP", NumberedKeys(ListKey), Side(), Chance(50) ? [Word("COUNT"), Count()] : Array.Empty<object>())),

            // sets
            ("SADD", () => Command.Of("SADD", Key(SetKey), Repeat(1, 3, Member))),
            ("SREM", () => Command.Of("SREM", Key(SetKey), Repeat(1, 3, Member))),
            ("SMEMBERS", () => Command.Of("SMEMBERS", Key(SetKey))),
            ("SISMEMBER", () => Command.Of("SISMEMBER", Key(SetKey), Member())),
            ("SMISMEMBER", () => Command.Of("SMISMEMBER", Key(SetKey), Repeat(1, 3, Member))),
            ("SCARD", () => Command.Of("SCARD", Key(SetKey))),
            ("SMOVE", () => Command.Of("SMOVE", Key(SetKey), Key(SetKey), Member())),
            ("SINTER", () => Command.Of("SINTER", Repeat(1, 3, () => Key(SetKey)))),
            ("SINTERCARD", () => Command.Of("SINTERCARD", NumberedKeys(SetKey), Chance(40) ? [Word("LIMIT"), Count()] : Array.Empty<object>())),
            ("SINTERSTORE", () => Command.Of("SINTERSTORE", Key(SetKey), Repeat(1, 3, () => Key(SetKey)))),
            ("SUNION", () => Command.Of("SUNION", Repeat(1, 3, () => Key(SetKey)))),
            ("SUNIONSTORE", () => Command.Of("SUNIONSTORE", Key(SetKey), Repeat(1, 3, () => Key(SetKey)))),
            ("SDIFF", () => Command.Of("SDIFF", Repeat(1, 3, () => Key(SetKey)))),
            ("SDIFFSTORE", () => Command.Of("SDIFFSTORE", Key(SetKey), Repeat(1, 3, () => Key(SetKey)))),
            ("SRANDMEMBER", () => RandomPick("SRANDMEMBER", SetKey, null)),
            ("SSCAN", () => Scan("SSCAN", [Key(SetKey)])),

            // sorted sets
            ("ZADD", ZAdd),
            ("ZREM", () => Command.Of("ZREM", Key(ZSetKey), Repeat(1, 3, Member))),
            ("ZSCORE", () => Command.Of("ZSCORE", Key(ZSetKey), Member())),
            ("ZMSCORE", () => Command.Of("ZMSCORE", Key(ZSetKey), Repeat(1, 3, Member))),
            ("ZINCRBY", () => Command.Of("ZINCRBY", Key(ZSetKey), Score(), Member())),
            ("ZCARD", () => Command.Of("ZCARD", Key(ZSetKey))),
            ("ZCOUNT", () => Command.Of("ZCOUNT", Key(ZSetKey), ScoreBound(), ScoreBound())),
            ("ZLEXCOUNT", () => Command.Of("ZLEXCOUNT", Key(ZSetKey), LexBound(), LexBound())),
            ("ZRANGE", () => ZRange("ZRANGE", [Key(ZSetKey)], withScores: true)),
            ("ZRANGESTORE", () => ZRange("ZRANGESTORE", [Key(ZSetKey), Key(ZSetKey)], withScores: false)),
            ("ZRANGEBYSCORE", () => Command.Of("ZRANGEBYSCORE", Key(ZSetKey), ScoreBound(), ScoreBound(), ScoreOptions())),
            ("ZREVRANGEBYSCORE", () => Command.Of("ZREVRANGEBYSCORE", Key(ZSetKey), ScoreBound(), ScoreBound(), ScoreOptions())),
            ("ZRANGEBYLEX", () => Command.Of("ZRANGEBYLEX", Key(ZSetKey), LexBound(), LexBound(), Chance(30) ? Limit() : [])),
            ("ZREVRANGEBYLEX", () => Command.Of("ZREVRANGEBYLEX", Key(ZSetKey), LexBound(), LexBound(), Chance(30) ? Limit() : [])),
            ("ZREVRANGE", () => Command.Of("ZREVRANGE", Key(ZSetKey), Integer(), Integer(), Chance(40) ? [Word("WITHSCORES")] : Array.Empty<object>())),
            ("ZRANK", () => Command.Of("ZRANK", Key(ZSetKey), Member())),
            ("ZREVRANK", () => Command.Of("ZREVRANK", Key(ZSetKey), Member())),
            ("ZPOPMIN", () => Command.Of("ZPOPMIN", Key(ZSetKey), Optional(Count))),
            ("ZPOPMAX", () => Command.Of("ZPOPMAX", Key(ZSetKey), Optional(Count))),
            ("ZMPOP", () => Command.Of("ZMPOP", NumberedKeys(ZSetKey), Word(Chance(95) ? Pick(["MIN", "MAX"]) : "MID"), Chance(50) ? [Word("COUNT"), Count()] : Array.Empty<object>())),
            ("ZREMRANGEBYRANK", () => Command.Of("ZREMRANGEBYRANK", Key(ZSetKey), Integer(), Integer())),
            ("ZREMRANGEBYSCORE", () => Command.Of("ZREMRANGEBYSCORE", Key(ZSetKey), ScoreBound(), ScoreBound())),
            ("ZREMRANGEBYLEX", () => Command.Of("ZREMRANGEBYLEX", Key(ZSetKey), LexBound(), LexBound())),
            ("ZUNIONSTORE", () => Command.Of("ZUNIONSTORE", Key(ZSetKey), Combine(weights: true))),
            ("ZINTERSTORE", () => Command.Of("ZINTERSTORE", Key(ZSetKey), Combine(weights: true))),
            ("ZDIFFSTORE", () => Command.Of("ZDIFFSTORE", Key(ZSetKey), Combine(weights: false))),
            ("ZUNION", () => Command.Of("ZUNION", Combine(weights: true), WithScores())),
            ("ZINTER", () => Command.Of("ZINTER", Combine(weights: true), WithScores())),
            ("ZDIFF", () => Command.Of("ZDIFF", Combine(weights: false), WithScores())),
            ("ZRANDMEMBER", () => RandomPick("ZRANDMEMBER", ZSetKey, "WITHSCORES")),
            ("ZSCAN", () => Scan("ZSCAN", [Key(ZSetKey)])),
        ];
        _draws = [.. _commands.SelectMany(command => Enumerable.Repeat(command, Weights.GetValueOrDefault(command.Name, 1)))];
    }

    /// <summary>The rest of a transaction being generated (WATCH ... MULTI ... EXEC).</summary>
    private readonly Queue<Command> _pending = new();

    public Command Next()
    {
        if (_pending.Count == 0 && Chance(3))
        {
            foreach (var command in Transaction())
            {
                _pending.Enqueue(command);
            }
        }
        if (_pending.TryDequeue(out var next))
        {
            return next;
        }
        return Single();
    }

    private Command Single()
    {
        if (Chance(4))
        {
            return WrongArguments();
        }
        var command = _draws[_random.Next(_draws.Length)].Make();
        if (Chance(10))
        {
            // Command names are case-insensitive.
            command.Args[0] = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(command.Args[0]).ToLowerInvariant());
        }
        return command;
    }

    /// <summary>A command with 0 to 3 random arguments: mostly wrong arity, sometimes a bad argument.</summary>
    private Command WrongArguments()
    {
        var name = _commands[_random.Next(_commands.Length)].Name;
        while (name is "SETEX" or "PSETEX" or "EXPIRE" or "PEXPIRE" or "SCAN" or "HSCAN" or "SSCAN" or "ZSCAN")
        {
            // With random small numbers these would set TTLs of milliseconds to seconds, and what
            // DBSIZE counts would then depend on when each server reclaims the expired key. A scan
            // from a cursor other than 0 returns what the hash table's layout puts there.
            name = _commands[_random.Next(_commands.Length)].Name;
        }
        return Command.Of(name, Repeat(0, 3, () => _random.Next(3) switch
        {
            0 => Key(AnyKey),
            1 => Member(),
            _ => Integer(),
        }));
    }

    /// <summary>
    /// [WATCH key (then a write to it, which makes EXEC answer nil) [UNWATCH]] MULTI, one to four
    /// commands (some refused when queued: wrong arity, unknown name, nested MULTI, WATCH; EXEC then
    /// answers EXECABORT), then EXEC or DISCARD.
    /// </summary>
    private List<Command> Transaction()
    {
        var commands = new List<Command>();
        if (Chance(40))
        {
            var key = Key(AnyKey);
            commands.Add(Command.Of("WATCH", key, Chance(20) ? [Key(AnyKey)] : Array.Empty<object>()));
            if (Chance(50))
            {
                commands.Add(WriteToWatched(key));
            }
            if (Chance(20))
            {
                commands.Add(Command.Of("UNWATCH"));
            }
        }
        commands.Add(Command.Of("MULTI"));
        for (var i = _random.Next(1, 5); i > 0; i--)
        {
            commands.Add(_random.Next(40) switch
            {
                0 => Command.Of("NOSUCHCOMMAND", Key(AnyKey)),
                1 => Command.Of("MULTI"),
                2 => Command.Of("WATCH", Key(AnyKey)),
                3 => Command.Of(Pick(["EXEC", "DISCARD", "MULTI"]), Key(AnyKey)),
                _ => Single(),
            });
        }
        commands.Add(Command.Of(Chance(85) ? "EXEC" : "DISCARD"));
        return commands;
    }

    /// <summary>
    /// A write to a watched key between WATCH and MULTI; most of them often change nothing (an absent
    /// member, a condition that stops them, a missing key, a bad argument), which must then leave the
    /// watch alone, as in Redis. Only commands that say when they changed nothing are drawn (the test's
    /// KnownDivergences lists them).
    /// </summary>
    private Command WriteToWatched(string key) => _random.Next(19) switch
    {
        0 => Command.Of("SET", key, Value()),
        1 => Command.Of("SET", key, Value(), Word(Pick(["NX", "XX"]))),
        2 => Command.Of("SETNX", key, Value()),
        3 => Command.Of("MSETNX", Key(AnyKey), Value(), key, Value()),
        4 => Command.Of("DEL", key, Repeat(0, 1, () => Key(AnyKey))),
        5 => Command.Of("EXPIRE", key, Chance(80) ? Pick(Seconds) : Pick(BadSeconds), Repeat(0, 1, () => Word(Pick(["NX", "XX", "GT", "LT"])))),
        6 => Command.Of("PERSIST", key),
        7 => Command.Of("SADD", key, Member()),
        8 => Command.Of("SREM", key, Member()),
        9 => Command.Of("SMOVE", key, Key(AnyKey), Member()),
        10 => Command.Of("ZADD", key, Repeat(0, 1, () => Word(Pick(["NX", "XX", "GT", "LT", "CH"]))), Pick(["1", "2"]), Member()),
        11 => Command.Of("ZINCRBY", key, Pick(["0", "1"]), Member()),
        12 => Command.Of("ZREM", key, Member()),
        13 => Command.Of("HDEL", key, Member()),
        14 => Command.Of("HSETNX", key, Member(), Value()),
        15 => Command.Of(Pick(["LPUSHX", "RPUSHX"]), key, Value()),
        16 => Command.Of("LREM", key, Pick(["0", "1", "-1", "x"]), Member()),
        17 => Command.Of("SET", key, Value(), "EX", Pick(Seconds)),
        _ => Command.Of("INCR", key),
    };

    /// <summary>OBJECT ENCODING of any key (the state check's lists are left out: see the test's NewerRedisBehaviour), sometimes a bad subcommand.</summary>
    private Command ObjectEncoding() => _random.Next(10) switch
    {
        0 => Command.Of("OBJECT", Word(Pick(["ENCODING", "NOSUCH", "FREQ"])), Repeat(0, 2, () => Key(AnyKey))),
        _ => Command.Of("OBJECT", Word("ENCODING"), Key(Chance(70) ? _random.Next(KeyNames.Length) : AnyKey)),
    };

    /// <summary>SRANDMEMBER/HRANDFIELD/ZRANDMEMBER; the test only sends those whose reply is not random (see <see cref="DifferentialServers.IsUnspecifiedAsync"/>).</summary>
    private Command RandomPick(string name, int home, string? withOption)
    {
        var options = new List<object>();
        if (Chance(75))
        {
            options.Add(Pick(PickCounts));
            if (withOption is not null && Chance(40))
            {
                options.Add(Word(Chance(90) ? withOption : "WITHNOTHING"));
            }
        }
        return Command.Of(name, Key(home), options);
    }

    /// <summary>
    /// SCAN and friends from cursor 0 with a COUNT that returns everything in one call (the elements
    /// are then compared as a set), with MATCH and TYPE; or a bad cursor or option (an error).
    /// </summary>
    private Command Scan(string name, object[] key)
    {
        if (Chance(15))
        {
            object[] bad = _random.Next(4) switch
            {
                0 => [Pick(["abc", " 0", "1.5", "-abc"])],
                1 => ["0", Word("COUNT"), Pick(["0", "-1", "abc", ""])],
                2 => ["0", Word(Pick(["MATCH", "COUNT", "TYPE", "NOVALUES"]))],
                _ => ["0", Word("LIMIT"), "10"],
            };
            return Command.Of(name, key, bad);
        }
        var options = new List<object[]> { new object[] { Word("COUNT"), Pick(["1000", "100000"]) } };
        if (Chance(40))
        {
            options.Add([Word("MATCH"), Chance(80) && name == "SCAN" ? Pick(ScanPatterns) : Pick(Members)]);
        }
        if (name == "SCAN" && Chance(30))
        {
            options.Add([Word("TYPE"), Pick(ScanTypes)]);
        }
        Shuffle(options);
        // An empty cursor is strtoul's 0 to Redis.
        return Command.Of(name, key, Chance(95) ? "0" : "", options);
    }

    private Command Set()
    {
        var options = new List<object[]>();
        if (Chance(30))
        {
            options.Add([Word(Chance(50) ? "NX" : "XX")]);
        }
        if (Chance(5))
        {
            options.Add([Word("NX")]);
        }
        if (Chance(25))
        {
            options.Add([Word("GET")]);
        }
        switch (_random.Next(10))
        {
            case 0:
                options.Add([Word("EX"), Chance(80) ? Pick(Seconds) : Pick(BadSeconds)]);
                break;
            case 1:
                options.Add([Word("PX"), Chance(80) ? Pick(Milliseconds) : Pick(BadMilliseconds)]);
                break;
            case 2:
                options.Add([Word("KEEPTTL")]);
                break;
            case 3:
                // Far in the future (year 2100). Not in the past: Redis keeps such a key until it is
                // next looked up or its expiry cycle finds it, and DBSIZE counts it until then.
                options.Add([Word("EXAT"), "4102444800"]);
                break;
            case 4:
                options.Add([Word("PXAT"), "4102444800000"]);
                break;
            case 5 when Chance(30):
                options.Add([Word(Pick(["EX", "PX", "KEEPTTL"]))]);
                options.Add([Word("EX"), Pick(Seconds)]);
                break;
        }
        if (Chance(3))
        {
            options.Add([Word(Pick(["EX", "PX", "XYZ"]))]);
        }
        Shuffle(options);
        return Command.Of("SET", Key(StringKey), Value(), options);
    }

    private Command GetEx() => Command.Of("GETEX", Key(StringKey), _random.Next(7) switch
    {
        0 => [Word("EX"), Chance(80) ? Pick(Seconds) : Pick(BadSeconds)],
        1 => [Word("PX"), Chance(80) ? Pick(Milliseconds) : Pick(BadMilliseconds)],
        2 => [Word("PERSIST")],
        3 => [Word("EXAT"), "4102444800"],
        4 => [Word("PERSIST"), Word("EX"), Pick(Seconds)],
        _ => Array.Empty<object>(),
    });

    private Command LPos()
    {
        var options = new List<object[]>();
        if (Chance(40))
        {
            options.Add([Word("RANK"), Pick(["1", "-1", "2", "-2", "0", "abc", "-9223372036854775808", "5"])]);
        }
        if (Chance(40))
        {
            options.Add([Word("COUNT"), Pick(["0", "1", "2", "-1", "abc"])]);
        }
        if (Chance(30))
        {
            options.Add([Word("MAXLEN"), Pick(["0", "1", "2", "-1", "abc"])]);
        }
        if (Chance(3))
        {
            options.Add([Word("LIMIT"), "1"]);
        }
        Shuffle(options);
        return Command.Of("LPOS", Key(ListKey), Member(), options);
    }

    private Command ZAdd()
    {
        var options = new List<object[]>();
        foreach (var option in new[] { "NX", "XX", "GT", "LT", "CH", "INCR" })
        {
            if (Chance(12))
            {
                options.Add([Word(option)]);
            }
        }
        Shuffle(options);
        var pairs = Repeat(1, options.Any(o => ((string)o[0]).Equals("INCR", StringComparison.OrdinalIgnoreCase)) && Chance(80) ? 1 : 3,
            () => new object[] { Score(), Member() });
        if (Chance(4))
        {
            pairs.Add(Score());
        }
        return Command.Of("ZADD", Key(ZSetKey), options, pairs);
    }

    /// <summary>ZRANGE/ZRANGESTORE: by rank, score or lex, maybe REV, LIMIT, WITHSCORES, options in any order.</summary>
    private Command ZRange(string name, object[] keys, bool withScores)
    {
        var mode = _random.Next(3);
        var reverse = Chance(30);
        object[] bounds = mode switch
        {
            0 => [Integer(), Integer()],
            1 => [ScoreBound(), ScoreBound()],
            _ => [LexBound(), LexBound()],
        };
        var options = new List<object[]>();
        if (mode == 1 || (mode == 0 && Chance(5)))
        {
            options.Add([Word("BYSCORE")]);
        }
        if (mode == 2 || (mode == 0 && Chance(5)))
        {
            options.Add([Word("BYLEX")]);
        }
        if (reverse)
        {
            options.Add([Word("REV")]);
        }
        if (Chance(mode == 0 ? 5 : 30))
        {
            options.Add(Limit());
        }
        if (Chance(withScores ? 35 : 5))
        {
            options.Add([Word("WITHSCORES")]);
        }
        Shuffle(options);
        return Command.Of(name, keys, bounds, options);
    }

    private object[] ScoreOptions()
    {
        var options = new List<object[]>();
        if (Chance(40))
        {
            options.Add([Word("WITHSCORES")]);
        }
        if (Chance(30))
        {
            options.Add(Limit());
        }
        Shuffle(options);
        return [.. options];
    }

    private object[] Limit() => [Word("LIMIT"), Pick(["0", "1", "2", "-1", "abc"]), Pick(["1", "2", "-1", "0", "10", "abc"])];

    private object[] WithScores() => Chance(40) ? [Word("WITHSCORES")] : [];

    /// <summary>numkeys key... [WEIGHTS w...] [AGGREGATE SUM|MIN|MAX], numkeys and weight counts sometimes wrong.</summary>
    private object[] Combine(bool weights)
    {
        var keys = Repeat(1, 3, () => Key(Chance(80) ? ZSetKey : SetKey));
        var parts = new List<object> { NumKeys(keys.Count), keys };
        var options = new List<object[]>();
        if (Chance(weights ? 30 : 3))
        {
            var count = Chance(90) ? keys.Count : keys.Count + Pick([-1, 1]);
            options.Add([Word("WEIGHTS"), Repeat(count, count, () => Chance(90) ? Pick(["1", "2", "0", "-1", "0.5", "inf", "-inf"]) : Pick(["abc", "nan", ""]))]);
        }
        if (Chance(weights ? 30 : 3))
        {
            options.Add([Word("AGGREGATE"), Word(Chance(95) ? Pick(["SUM", "MIN", "MAX"]) : "AVG")]);
        }
        Shuffle(options);
        parts.Add(options);
        return [.. parts];
    }

    private object[] NumberedKeys(int home)
    {
        var keys = Repeat(1, 3, () => Key(home));
        return [NumKeys(keys.Count), keys];
    }

    private string NumKeys(int count) =>
        Chance(90) ? count.ToString(CultureInfo.InvariantCulture) : Pick(["0", "-1", "abc", (count + 1).ToString(CultureInfo.InvariantCulture), "9223372036854775807"]);

    private object[] KeyValuePairs()
    {
        var pairs = Repeat(1, 3, () => new object[] { Key(StringKey), Value() });
        if (Chance(5))
        {
            pairs.Add(Key(StringKey));
        }
        return [.. pairs];
    }

    private object[] FieldValuePairs()
    {
        var pairs = Repeat(1, 3, () => new object[] { Member(), Value() });
        if (Chance(5))
        {
            pairs.Add(Member());
        }
        return [.. pairs];
    }

    /// <summary>EXPIRE's condition; GT and LT against a TTL close to the new one are not sent (see <see cref="DifferentialServers.IsUnspecifiedAsync"/>).</summary>
    private object[] ExpireCondition() => _random.Next(12) switch
    {
        0 => [Word("NX")],
        1 => [Word("XX")],
        2 => [Word("GT")],
        3 => [Word("LT")],
        4 => [Word(Pick(["NX XX", "YY"]))],
        5 when Chance(30) => [Word(Pick(["NX", "GT"])), Word(Pick(["XX", "LT"]))],
        _ => [],
    };

    private string Key(int home) =>
        home != AnyKey && Chance(home == StringKey ? 90 : 80) ? KeyNames[home] : KeyNames[_random.Next(KeyNames.Length)];

    private byte[] Value() => Pick(Values);

    private byte[] Member() => Pick(Members);

    private string Integer() => Chance(88) ? Pick(Integers) : Pick(BadIntegers);

    private string Count() => Chance(88) ? Pick(Counts) : Pick(BadCounts);

    private string Offset() => Chance(90) ? Pick(Offsets) : Pick(BadOffsets);

    private string Score() => Chance(92) ? Pick(Scores) : Pick(BadScores);

    private string Increment() => Chance(88) ? Pick(Increments) : Pick(BadIncrements);

    private string ScoreBound() => Chance(92) ? Pick(ScoreBounds) : Pick(BadScoreBounds);

    private string LexBound() => Chance(92) ? Pick(LexBounds) : Pick(BadLexBounds);

    private string Side() => Word(Chance(95) ? Pick(["LEFT", "RIGHT"]) : "UP");

    private object[] Optional(Func<string> argument) => Chance(50) ? [argument()] : [];

    /// <summary>An option word, in lower case one time in five (options are case-insensitive).</summary>
    private string Word(string word) => Chance(20) ? word.ToLowerInvariant() : word;

    private List<object> Repeat(int least, int most, Func<object> make)
    {
        var count = _random.Next(least, most + 1);
        var items = new List<object>(count);
        for (var i = 0; i < count; i++)
        {
            items.Add(make());
        }
        return items;
    }

    private bool Chance(int percent) => _random.Next(100) < percent;

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    private void Shuffle<T>(List<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static IEnumerable<byte[]> Utf8(params string[] texts) => texts.Select(Encoding.UTF8.GetBytes);
}
