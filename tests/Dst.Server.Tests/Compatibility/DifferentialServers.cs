namespace Dst.Server.Tests.Compatibility;

/// <summary>A redis-server and a dst-server for the class, with one connection to each.</summary>
public sealed class DifferentialServers : IAsyncLifetime
{
    private RedisServerProcess? _redis;
    private ServerProcess? _dst;
    private ReplyConnection? _toRedis;
    private ReplyConnection? _toDst;

    public async Task InitializeAsync()
    {
        try
        {
            _redis = await RedisServerProcess.StartAsync();
            // Durability does not change replies; fsyncing every write would only make the run slower.
            _dst = await ServerProcess.StartAsync("--appendfsync", "no");
            _toRedis = await ReplyConnection.ConnectAsync(_redis.Port);
            _toDst = await ReplyConnection.ConnectAsync(_dst.Port);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    internal async Task<(Reply Redis, Reply Dst)> RunBothAsync(Command command)
    {
        var redis = _toRedis!.RunAsync(command.Args);
        var dst = _toDst!.RunAsync(command.Args);
        return (await redis, await dst);
    }

    internal Task<Reply> PeekAsync(Command read) => _toRedis!.RunAsync(read.Args);

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
        return false;
    }

    internal async Task FlushAsync()
    {
        var (redis, dst) = await RunBothAsync(Command.Of("FLUSHALL"));
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
    internal async Task<List<(Command Command, Reply Redis, Reply Dst)>?> ShrinkAsync(List<Command> history)
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
    private async Task<List<(Command, Reply, Reply)>?> ReplayAsync(List<Command> sequence)
    {
        await FlushAsync();
        var replies = new List<(Command, Reply, Reply)>();
        for (var i = 0; i < sequence.Count; i++)
        {
            if (await IsUnspecifiedAsync(sequence[i]))
            {
                return null;
            }
            var (redis, dst) = await RunBothAsync(sequence[i]);
            replies.Add((sequence[i], redis, dst));
            if (!ReplyComparison.Same(sequence[i], redis, dst))
            {
                return i == sequence.Count - 1 ? replies : null;
            }
        }
        return null;
    }
}
