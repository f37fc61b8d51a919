using System.Globalization;
using System.Text;

namespace Dst.Server.Tests.Compatibility;

/// <summary>
/// A redis-server and a dst-server for the class, with one connection to each that the commands go
/// to, and a second RESP2 connection to redis-server to look at its state (a look on the first
/// connection would be queued inside MULTI, and would come back in RESP3 after HELLO 3).
/// </summary>
public sealed class DifferentialServers : IAsyncLifetime
{
    private static readonly HashSet<string> RandomPicks = ["SRANDMEMBER", "HRANDFIELD", "ZRANDMEMBER"];

    private RedisServerProcess? _redis;
    private ServerProcess? _dst;
    private ReplyConnection? _toRedis;
    private ReplyConnection? _toDst;
    private ReplyConnection? _peek;

    /// <summary>The commands Redis answered QUEUED since its MULTI; null outside a transaction.</summary>
    private List<Command>? _queued;

    /// <summary>The keys WATCHed on the connection to redis-server (Latin-1 decoded), until EXEC, DISCARD or UNWATCH.</summary>
    private readonly HashSet<string> _watched = [];

    /// <summary>Whether the connections are inside MULTI (as redis-server answered it).</summary>
    internal bool InTransaction => _queued is not null;

    public async Task InitializeAsync()
    {
        try
        {
            _redis = await RedisServerProcess.StartAsync();
            // Durability does not change replies; fsyncing every write would only make the run slower.
            _dst = await ServerProcess.StartAsync("--appendfsync", "no");
            _toRedis = await ReplyConnection.ConnectAsync(_redis.Port);
            _toDst = await ReplyConnection.ConnectAsync(_dst.Port);
            _peek = await ReplyConnection.ConnectAsync(_redis.Port);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Switches both connections to RESP <paramref name="protocol"/> (HELLO's replies differ by design: server versions and ids).</summary>
    internal async Task UseProtocolAsync(int protocol)
    {
        var hello = Command.Of("HELLO", protocol.ToString(CultureInfo.InvariantCulture));
        var redis = await _toRedis!.RunAsync(hello.Args);
        var dst = await _toDst!.RunAsync(hello.Args);
        if (redis.Kind == '-' || dst.Kind == '-')
        {
            throw new InvalidOperationException($"HELLO {protocol} failed: redis {redis}, dst {dst}");
        }
    }

    /// <summary>Sends <paramref name="command"/> to both servers and compares the replies, following MULTI ... EXEC to compare EXEC's array.</summary>
    internal async Task<Exchange> RunBothAsync(Command command)
    {
        var redisReply = _toRedis!.RunAsync(command.Args);
        var dstReply = _toDst!.RunAsync(command.Args);
        var (redis, dst) = (await redisReply, await dstReply);
        IReadOnlyList<Command>? executed = null;
        if (_queued is null)
        {
            if (command.Name == "MULTI" && redis.Kind == '+')
            {
                _queued = [];
            }
            else if (command.Name == "WATCH" && redis.Kind == '+')
            {
                _watched.UnionWith(command.Args.Skip(1).Select(Encoding.Latin1.GetString));
            }
            else if (command.Name == "UNWATCH")
            {
                _watched.Clear();
            }
        }
        else if (command.Name == "EXEC" || (command.Name == "DISCARD" && redis.Kind != '-'))
        {
            // Both end the transaction and forget WATCHed keys; EXEC even when refused for its arity.
            executed = _queued;
            _queued = null;
            _watched.Clear();
        }
        else if (redis.Text == "QUEUED")
        {
            _queued.Add(command);
        }
        return new Exchange(command, redis, dst, ReplyComparison.Same(command, redis, dst, executed));
    }

    /// <summary>Runs a read command on the reference server only (in RESP2), to look at the state a command would meet.</summary>
    internal Task<Reply> PeekAsync(Command read) => _peek!.RunAsync(read.Args);

    /// <summary>Whether <paramref name="key"/> is WATCHed on the connection the commands go to.</summary>
    internal bool IsWatched(byte[] key) => _watched.Contains(Encoding.Latin1.GetString(key));

    /// <summary>
    /// True for a command whose reply depends on the state it meets in a way <see cref="IsUnspecifiedAsync"/>
    /// or a known divergence looks at: inside MULTI the state it would meet is not there yet to look at.
    /// </summary>
    internal static bool DependsOnState(Command command) =>
        ReplyComparison.LexRangeKey(command) is not null || ReplyComparison.ComparedExpiry(command) is not null
        || RandomPicks.Contains(command.Name) || command.Name is "OBJECT" or "HSCAN" or "SSCAN" or "ZSCAN";

    /// <summary>
    /// True for a command whose reply Redis does not pin down in the state it would meet: a
    /// lexicographic range on a sorted set whose members do not all have the same score (documented
    /// as unspecified: Redis walks the set in score order), and EXPIRE/PEXPIRE GT/LT against a time to
    /// live within 10 s of the new one.
    /// </summary>
    internal async Task<bool> IsUnspecifiedAsync(Command command)
    {
        if (ReplyComparison.LexRangeKey(command) is { } key)
        {
            var members = await PeekAsync(Command.Of("ZRANGE", key, "0", "-1", "WITHSCORES"));
            return members.Items is { } items && items.Where((_, i) => i % 2 == 1).Select(score => score.Text).Distinct().Count() > 1;
        }
        if (ReplyComparison.ComparedExpiry(command) is { } expiry)
        {
            // Whether "now + 100 s" is greater than "a moment ago + 100 s" depends on the clock's
            // millisecond ticking between the two commands; a real difference is many seconds.
            var left = (await PeekAsync(Command.Of("PTTL", expiry.Key))).Integer;
            return left > 0 && Math.Abs(left - expiry.Milliseconds) < 10_000;
        }
        if (RandomPicks.Contains(command.Name) && command.Args.Length > 1)
        {
            return !await IsRandomPickDeterministicAsync(command);
        }
        return false;
    }

    /// <summary>
    /// SRANDMEMBER/HRANDFIELD/ZRANDMEMBER pick at random, except with a count of 0 or not a number
    /// (an empty array or an error), or from a collection of at most one element (or of another type:
    /// WRONGTYPE).
    /// </summary>
    private async Task<bool> IsRandomPickDeterministicAsync(Command command)
    {
        if (command.Args.Length > 2 && (!long.TryParse(command.Text[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count) || count == 0))
        {
            return true;
        }
        var (type, size) = command.Name switch
        {
            "SRANDMEMBER" => ("set", "SCARD"),
            "HRANDFIELD" => ("hash", "HLEN"),
            _ => ("zset", "ZCARD"),
        };
        var actual = (await PeekAsync(Command.Of("TYPE", command.Args[1]))).Text;
        return actual != type || (await PeekAsync(Command.Of(size, command.Args[1]))).Integer <= 1;
    }

    /// <summary>Leaves any transaction, forgets WATCHed keys, and empties both servers.</summary>
    internal async Task FlushAsync()
    {
        // DISCARD outside MULTI and UNWATCH answer the same either way; they only reset the connection.
        await RunBothAsync(Command.Of("DISCARD"));
        await RunBothAsync(Command.Of("UNWATCH"));
        var (_, redis, dst, _) = await RunBothAsync(Command.Of("FLUSHALL"));
        if (redis.ToString() != "OK" || dst.ToString() != "OK")
        {
            throw new InvalidOperationException($"FLUSHALL failed: redis {redis}, dst {dst}");
        }
    }

    /// <summary>
    /// The shortest sub-sequence of <paramref name="history"/> found (delta debugging, keeping its
    /// last command) that, run from an empty database, first differs at its last command; with the
    /// replies of both servers. Null when the history itself does not reproduce.
    /// </summary>
    internal async Task<List<Exchange>?> ShrinkAsync(List<Command> history)
    {
        var last = history[^1];
        if (await ReplayAsync([last]) is { } alone)
        {
            return alone;
        }
        var prefix = history[..^1];
        if (await ReplayAsync([.. prefix, last]) is null)
        {
            return null;
        }
        var parts = 2;
        while (prefix.Count > 0)
        {
            var chunk = (prefix.Count + parts - 1) / parts;
            var reduced = false;
            for (var start = 0; start < prefix.Count; start += chunk)
            {
                var candidate = prefix.Take(start).Concat(prefix.Skip(start + chunk)).ToList();
                if (await ReplayAsync([.. candidate, last]) is not null)
                {
                    prefix = candidate;
                    parts = Math.Max(parts - 1, 2);
                    reduced = true;
                    break;
                }
            }
            if (!reduced)
            {
                if (chunk == 1)
                {
                    break;
                }
                parts = Math.Min(parts * 2, prefix.Count);
            }
        }
        return await ReplayAsync([.. prefix, last]);
    }

    public async Task DisposeAsync()
    {
        if (_toRedis is not null)
        {
            await _toRedis.DisposeAsync();
        }
        if (_toDst is not null)
        {
            await _toDst.DisposeAsync();
        }
        if (_peek is not null)
        {
            await _peek.DisposeAsync();
        }
        if (_dst is not null)
        {
            await _dst.DisposeAsync();
        }
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    /// <summary>The replies when <paramref name="sequence"/> first differs at its last command, else null.</summary>
    private async Task<List<Exchange>?> ReplayAsync(List<Command> sequence)
    {
        await FlushAsync();
        var replies = new List<Exchange>();
        for (var i = 0; i < sequence.Count; i++)
        {
            if (await IsUnspecifiedAsync(sequence[i]))
            {
                return null;
            }
            var exchange = await RunBothAsync(sequence[i]);
            replies.Add(exchange);
            if (!exchange.Same)
            {
                return i == sequence.Count - 1 ? replies : null;
            }
        }
        return null;
    }
}
