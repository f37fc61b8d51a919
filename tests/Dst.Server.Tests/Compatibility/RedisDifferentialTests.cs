using System.Globalization;
using System.Text;
using Dst.Server.Tests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Dst.Server.Tests.Compatibility;

/// <summary>
/// Differential test against the real thing: the same seeded random command sequences go to a
/// redis-server 7.0 (the reference) and to a dst-server, each sequence once in RESP2 and once after
/// HELLO 3, and every reply must be the same frame, byte for byte (nil bulk and nil array are
/// different replies, as are RESP3's maps, sets, doubles and nulls from their RESP2 forms; error texts
/// are compared exactly). Sequences include transactions (WATCH, MULTI, queued commands, some refused,
/// EXEC or DISCARD), whose EXEC array is compared reply by reply as those commands' own replies.
/// The only normalizations are what Redis itself leaves unspecified: the element order of
/// SMEMBERS/SINTER/SUNION/SDIFF/HKEYS/HVALS (compared as multisets, whether arrays or RESP3 sets),
/// HGETALL (as a multiset of pairs, whether an array or a RESP3 map), SCAN/SSCAN (the cursor, and the
/// elements as a multiset) and HSCAN/ZSCAN (as a multiset of pairs), and TTL/PTTL/EXPIRETIME
/// (compared only as -2, -1 or "some time"). Some commands are not sent at all: a lexicographic range
/// on a sorted set whose scores differ (Redis documents the result as unspecified), EXPIRE/PEXPIRE
/// GT/LT against a time to live within 10 s of the new one (the answer depends on the milliseconds
/// between commands), SRANDMEMBER/HRANDFIELD/ZRANDMEMBER unless the pick cannot be random, a scan
/// that may not return everything in one call, and, inside MULTI, any command whose filtering reads
/// the state it will meet. Every 25 commands (after a transaction ends) the whole keyspace is
/// compared too (DBSIZE, and TYPE, PTTL and the contents of every key). A mismatch is shrunk to a
/// minimal sequence from an empty database before the test fails.
/// <para>
/// <c>DST_DIFF_SEEDS=N</c> runs seeds 1..N (default 20), <c>DST_DIFF_SEED=S</c> replays one,
/// <c>DST_DIFF_PROTOCOL=2</c> or <c>3</c> runs one protocol (default both),
/// <c>DST_DIFF_STEPS=N</c> sets the commands per seed (default 500), <c>DST_DIFF_INCLUDE_KNOWN=1</c>
/// also generates what <see cref="KnownDivergences"/> and <see cref="NewerRedisBehaviour"/> leave
/// out, and <c>DST_DIFF_COLLECT=1</c> records every mismatch (flushing both servers after each)
/// instead of stopping at the first, appending them to the file named by <c>DST_DIFF_REPORT</c> when set.
/// </para>
/// </summary>
public sealed class RedisDifferentialTests(DifferentialServers servers, ITestOutputHelper output) : IClassFixture<DifferentialServers>
{
    private const int StateCheckEvery = 25;

    /// <summary>Writes whose handlers say when they changed nothing (CommandContext.ReportNothingChanged), or that always change their key.</summary>
    private static readonly HashSet<string> ChangeReportingWrites =
    [
        "SET", "SETNX", "MSETNX", "DEL", "EXPIRE", "PERSIST", "SADD", "SREM", "SMOVE", "ZADD", "ZINCRBY", "ZREM", "HDEL", "HSETNX",
        "LPUSHX", "RPUSHX", "LREM",
    ];

    /// <summary>The type names SCAN's TYPE option knows (before the known divergences, which read it).</summary>
    private static readonly HashSet<string> KnownTypeNames = new(["string", "list", "set", "zset", "hash", "stream"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Known differences from redis-server 7.0's replies (docs/protocol.md explains those it lists, and why they stay).
    /// The generator does not send a command that one of these matches (a matcher may read the key's
    /// current state in Redis through <see cref="DifferentialServers.PeekAsync"/>). Delete a line once dst answers as Redis;
    /// run with <c>DST_DIFF_INCLUDE_KNOWN=1</c> to see them fail.
    /// </summary>
    private static readonly KnownDivergence[] KnownDivergences =
    [
        new("score range bounds: redis (C strtod) takes leading spaces (\" 1\"), reads up to a NUL byte and an empty number as 0 (\"\", \"(\", \"\\x00x\"); dst 'ERR min or max is not a float'",
            Always(c => ScoreBounds(c).Any(bound => bound.TrimStart('(').Split('\0')[0] is var number && (number.Length == 0 || char.IsWhiteSpace(number[0]))))),
        new("-0 scores: redis 7.0 keeps -0 as 0 in a small (listpack) sorted set and replies \"0\" (ZSCORE, ZRANGE WITHSCORES, ZPOPMIN, ...); dst \"-0\"",
            Always(c => c.Name.StartsWith('Z') && (c.Text.Contains("-0") || Weights(c).Any(weight => weight is "0" || weight.StartsWith('-'))))),
        new("scan cursor \"\": redis (C strtoul) reads an empty cursor as 0 and scans; dst 'ERR invalid cursor'",
            Always(c => c.Name is "SCAN" or "HSCAN" or "SSCAN" or "ZSCAN" && CursorIndex(c) < c.Args.Length && c.Args[CursorIndex(c)].Length == 0)),
        new("SCAN ... TYPE with an unknown type name: redis 7.0 and 7.2 scan and return nothing (the error is left for 8.0 in their source); dst \"ERR unknown type name 'none'\" (as Redis 8)",
            Always(c => c.Name == "SCAN" && Enumerable.Range(1, Math.Max(c.Text.Count - 2, 0))
                .Any(i => c.Text[i].Equals("TYPE", StringComparison.OrdinalIgnoreCase) && !KnownTypeNames.Contains(c.Text[i + 1])))),
        new("HSCAN ... NOVALUES (Redis 7.4): redis 7.0 'ERR syntax error'; dst the fields without their values",
            Always(c => c.Name == "HSCAN" && c.Text.Skip(2).Any(word => word.Equals("NOVALUES", StringComparison.OrdinalIgnoreCase)))),
        new("a write to a WATCHed key that changes nothing (it fails, as INCR of a list, or finds nothing to do) where its handler does not say so: redis leaves the key unmodified and EXEC runs; dst counts the write as a modification and EXEC answers nil. So only the writes that say when they changed nothing (ChangeReportingWrites) touch a watched key between WATCH and MULTI",
            (c, servers) => Task.FromResult(!servers.InTransaction && Dst.Commands.CommandTable.Default.Lookup(c.Name)?.IsWrite == true
                && !ChangeReportingWrites.Contains(c.Name) && c.Args.Skip(1).Any(servers.IsWatched))),
        new("OBJECT ENCODING of a string: redis's depends on the command that wrote it (APPEND and SETRANGE leave \"raw\", APPEND to a new key of an integer \"int\"); dst's on the value, but \"embstr\" for an integer APPEND wrote",
            async (c, servers) => c.Name == "OBJECT" && c.Args.Length == 3 && c.Text[0].Equals("ENCODING", StringComparison.OrdinalIgnoreCase)
                && (await servers.PeekAsync(Command.Of("TYPE", c.Args[2]))).Text == "string"
                && (await servers.PeekAsync(Command.Of("GET", c.Args[2]))).Data! is var value
                && (IsCanonicalInteger(Encoding.Latin1.GetString(value))
                    || (await servers.PeekAsync(Command.Of("OBJECT", "ENCODING", c.Args[2]))).Text != EncodingOfValue(value))),
        new("OBJECT with a subcommand holding a NUL byte: redis (C %s) quotes it up to the NUL ('ERR unknown subcommand ''. Try OBJECT HELP.'); dst all of it, the NUL as a space",
            Always(c => c.Name == "OBJECT" && c.Args.Length > 1 && c.Args[1].Contains((byte)0))),
    ];

    /// <summary>
    /// Where dst answers as Redis 7.2 (the version it reports in INFO and HELLO) and 7.0 differs.
    /// Not bugs, but not 7.0's replies either, so the generator leaves these out too.
    /// </summary>
    private static readonly KnownDivergence[] NewerRedisBehaviour =
    [
        new("ZRANK/ZREVRANK key member WITHSCORE (7.2): redis 7.0 'ERR wrong number of arguments', dst the rank and score or 'ERR syntax error'",
            Always(c => c.Name is "ZRANK" or "ZREVRANK" && c.Args.Length > 3)),
        new("LPOS RANK -9223372036854775808: redis 7.0 takes it, dst (as 7.2) 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807'",
            Always(c => c.Name == "LPOS" && c.Text.Contains("-9223372036854775808"))),
        new("double replies: redis 7.0 writes %.17g (\"0.10000000000000001\"), dst the shortest text that reads back (\"0.1\", as 7.2); scores not multiples of 1/1024 or past 10^15",
            Always(c => c.Name.StartsWith('Z') && c.Text.Any(IsInexactDouble))),
        new("OBJECT ENCODING of a list: redis 7.0 \"quicklist\", dst \"listpack\" (as 7.2, whose small lists are listpacks: the generator's lists stay far below 8 KB)",
            async (c, servers) => c.Name == "OBJECT" && c.Args.Length == 3 && (await servers.PeekAsync(Command.Of("TYPE", c.Args[2]))).Text == "list"),
        new("OBJECT ENCODING of a small set of strings: redis 7.0 \"hashtable\", dst \"listpack\" (as 7.2, which added listpack sets for at most 128 members of at most 64 bytes)",
            async (c, servers) => c.Name == "OBJECT" && c.Args.Length == 3 && (await servers.PeekAsync(Command.Of("OBJECT", "ENCODING", c.Args[2]))).Text == "hashtable"
                && (await servers.PeekAsync(Command.Of("TYPE", c.Args[2]))).Text == "set"
                && (await servers.PeekAsync(Command.Of("SMEMBERS", c.Args[2]))).Items is { Length: <= 128 } members && members.All(member => member.Data!.Length <= 64)),
    ];

    /// <summary>Each seed in RESP2 and in RESP3 (after HELLO 3), or only the one in <c>DST_DIFF_PROTOCOL</c>.</summary>
    public static IEnumerable<object[]> SeedsAndProtocols()
    {
        int[] protocols = Environment.GetEnvironmentVariable("DST_DIFF_PROTOCOL") is { Length: > 0 } only
            ? [int.Parse(only, CultureInfo.InvariantCulture)]
            : [2, 3];
        var replay = Environment.GetEnvironmentVariable("DST_DIFF_SEED");
        var seeds = replay is not null
            ? [int.Parse(replay, CultureInfo.InvariantCulture)]
            : Enumerable.Range(1, TestSettings.Integer("DST_DIFF_SEEDS", 20));
        return seeds.SelectMany(seed => protocols.Select(protocol => new object[] { seed, protocol }));
    }

    [Theory]
    [MemberData(nameof(SeedsAndProtocols))]
    public async Task Random_command_sequences_get_the_replies_redis_gives(int seed, int protocol)
    {
        var steps = TestSettings.Integer("DST_DIFF_STEPS", 500);
        var collect = Environment.GetEnvironmentVariable("DST_DIFF_COLLECT") == "1";
        var includeKnown = Environment.GetEnvironmentVariable("DST_DIFF_INCLUDE_KNOWN") == "1";

        async Task<bool> AllowedAsync(Command command)
        {
            if (await servers.IsUnspecifiedAsync(command))
            {
                return false;
            }
            if (includeKnown)
            {
                return true;
            }
            foreach (var known in KnownDivergences.Concat(NewerRedisBehaviour))
            {
                if (await known.Matches(command, servers))
                {
                    return false;
                }
            }
            return true;
        }

        var generator = new CommandGenerator(new Random(seed));
        var history = new List<Command>();
        var findings = new List<string>();
        await servers.FlushAsync();
        await servers.UseProtocolAsync(protocol);
        var sinceStateCheck = 0;
        for (var step = 1; step <= steps; step++)
        {
            var command = generator.Next();
            // Inside MULTI the state a command will meet at EXEC cannot be looked at yet.
            while ((servers.InTransaction && DifferentialServers.DependsOnState(command)) || !await AllowedAsync(command))
            {
                command = generator.Next();
            }
            var batch = new List<Command> { command };
            // TYPE and the reads after it would only be QUEUED inside MULTI: check after EXEC.
            if (++sinceStateCheck >= StateCheckEvery && !servers.InTransaction)
            {
                sinceStateCheck = 0;
                batch.Add(Command.Of("DBSIZE"));
                foreach (var key in CommandGenerator.KeyNames)
                {
                    batch.Add(Command.Of("TYPE", key));
                    batch.Add(Command.Of("PTTL", key));
                }
            }
            for (var i = 0; i < batch.Count; i++)
            {
                history.Add(batch[i]);
                var (_, redis, dst, same) = await servers.RunBothAsync(batch[i]);
                if (same)
                {
                    if (i > 0 && batch[i].Name == "TYPE" && StateRead(batch[i].Args[1], redis) is { } read && await AllowedAsync(read))
                    {
                        batch.Insert(i + 1, read);
                    }
                    continue;
                }
                var what = i == 0 ? $"step {step}" : $"the state check after step {step}";
                var report = await DescribeAsync(seed, protocol, what, batch[i], redis, dst, history);
                output.WriteLine(report);
                if (!collect)
                {
                    throw new XunitException(report);
                }
                findings.Add(report);
                AppendToReportFile(report);
                history.Clear();
                await servers.FlushAsync();
                break;
            }
        }
        output.WriteLine($"seed {seed}, RESP{protocol}: {steps} commands, {findings.Count} mismatches");
        if (findings.Count > 0)
        {
            throw new XunitException($"{findings.Count} mismatches for seed {seed} in RESP{protocol}:\n\n{string.Join("\n\n", findings)}");
        }
    }

    /// <summary>The command that reads a key's whole value, given what TYPE said about it.</summary>
    private static Command? StateRead(byte[] key, Reply type) =>
        (type.Kind == '+' ? Encoding.ASCII.GetString(type.Data!) : null) switch
        {
            "string" => Command.Of("GET", key),
            "hash" => Command.Of("HGETALL", key),
            "list" => Command.Of("LRANGE", key, "0", "-1"),
            "set" => Command.Of("SMEMBERS", key),
            "zset" => Command.Of("ZRANGE", key, "0", "-1", "WITHSCORES"),
            _ => null,
        };

    private async Task<string> DescribeAsync(int seed, int protocol, string what, Command command, Reply redis, Reply dst, List<Command> history)
    {
        var minimal = await servers.ShrinkAsync(history);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"dst differs from redis-server at {what} of seed {seed} in RESP{protocol}:");
        text.AppendLine(CultureInfo.InvariantCulture, $"  command: {command}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  redis:   {redis}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  dst:     {dst}");
        if (minimal is null)
        {
            text.AppendLine("  (the mismatch did not reproduce when replayed from an empty database)");
        }
        else
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  minimal sequence from an empty database{(protocol == 3 ? ", after HELLO 3" : "")} (redis's reply after each command):");
            foreach (var (step, redisReply, dstReply, same) in minimal)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    {step}  ->  {redisReply}");
                if (!same)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"      dst: {dstReply}");
                }
            }
        }
        var settings = string.Concat(new[] { "DST_DIFF_STEPS", "DST_DIFF_INCLUDE_KNOWN" }
            .Where(name => Environment.GetEnvironmentVariable(name) is { Length: > 0 })
            .Select(name => $" {name}={Environment.GetEnvironmentVariable(name)}"));
        text.Append(CultureInfo.InvariantCulture, $"  replay: DST_DIFF_SEED={seed} DST_DIFF_PROTOCOL={protocol}{settings} dotnet test tests/Dst.Server.Tests --filter RedisDifferentialTests");
        return text.ToString();
    }

    private static void AppendToReportFile(string report)
    {
        if (Environment.GetEnvironmentVariable("DST_DIFF_REPORT") is { Length: > 0 } path)
        {
            File.AppendAllText(path, report + "\n\n");
        }
    }

    private static Func<Command, DifferentialServers, Task<bool>> Always(Func<Command, bool> matches) => (command, _) => Task.FromResult(matches(command));

    /// <summary>
    /// A finite number that is not a multiple of 1/1024 below 10^15: its %.17g text may be longer than
    /// its shortest one, and so may sums and products of it.
    /// </summary>
    private static bool IsInexactDouble(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
        && !(Math.Abs(value) < 1e15 && value * 1024 == Math.Floor(value * 1024));

    /// <summary>Where a scan command's cursor is: SCAN's first argument, the others' second.</summary>
    private static int CursorIndex(Command command) => command.Name == "SCAN" ? 1 : 2;

    /// <summary>Whether Redis reads <paramref name="text"/> as a 64-bit integer (string2ll: no sign but '-', no leading zero, no space).</summary>
    private static bool IsCanonicalInteger(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value.ToString(CultureInfo.InvariantCulture) == text;

    /// <summary>The encoding a string's value alone implies: "int" for what Redis reads as an integer, "embstr" up to 44 bytes, else "raw".</summary>
    private static string EncodingOfValue(byte[] value) =>
        IsCanonicalInteger(Encoding.Latin1.GetString(value)) ? "int"
            : value.Length <= 44 ? "embstr" : "raw";

    /// <summary>The score range bounds of a command that takes them.</summary>
    private static IEnumerable<string> ScoreBounds(Command command)
    {
        var text = command.Text;
        var byScore = text.Any(word => word.Equals("BYSCORE", StringComparison.OrdinalIgnoreCase));
        return command.Name switch
        {
            "ZCOUNT" or "ZRANGEBYSCORE" or "ZREVRANGEBYSCORE" or "ZREMRANGEBYSCORE" when text.Count >= 3 => text.Skip(1).Take(2),
            "ZRANGE" when byScore && text.Count >= 3 => text.Skip(1).Take(2),
            "ZRANGESTORE" when byScore && text.Count >= 4 => text.Skip(2).Take(2),
            _ => [],
        };
    }

    /// <summary>The arguments after WEIGHTS, up to the next option word.</summary>
    private static IEnumerable<string> Weights(Command command) =>
        command.Text.SkipWhile(word => !word.Equals("WEIGHTS", StringComparison.OrdinalIgnoreCase)).Skip(1)
            .TakeWhile(word => !word.Equals("AGGREGATE", StringComparison.OrdinalIgnoreCase) && !word.Equals("WITHSCORES", StringComparison.OrdinalIgnoreCase));

    /// <summary>One divergence: what it is, and which commands show it (given a way to read Redis's current state).</summary>
    private sealed record KnownDivergence(string Description, Func<Command, DifferentialServers, Task<bool>> Matches);
}
