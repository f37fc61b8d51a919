using System.Globalization;

namespace Dst.Server.Options;

/// <summary>Every option Dst understands, in the order <c>--help</c> lists them.</summary>
public static class OptionCatalog
{
    private static readonly (string Name, AppendFsync Value)[] AppendFsyncNames =
        [("always", AppendFsync.Always), ("everysec", AppendFsync.EverySec), ("no", AppendFsync.No)];

    private static readonly (string Name, LogLevel Value)[] LogLevelNames =
        [("debug", LogLevel.Debug), ("verbose", LogLevel.Verbose), ("notice", LogLevel.Notice), ("warning", LogLevel.Warning)];

    private static readonly (string Name, ReadConsistency Value)[] ReadConsistencyNames =
        [("linearizable", ReadConsistency.Linearizable), ("lease", ReadConsistency.Lease), ("stale", ReadConsistency.Stale)];

    private static readonly (string Name, Routing Value)[] RoutingNames =
        [("proxy", Routing.Proxy), ("redirect", Routing.Redirect)];

    public static readonly IReadOnlyList<OptionDefinition> All =
    [
        new("port", "<port>", $"TCP port to listen on (default {ServerOptions.DefaultPort}).",
            o => Format(o.Port),
            (o, v) => SetInt(v, 1, 65535, x => o.Port = x)),
        new("bind", "<address> [address ...]", "Addresses to listen on (default 127.0.0.1). '*' means every IPv4 address, '::*' every IPv6 one.",
            o => string.Join(' ', o.Bind),
            (o, v) => SetBind(o, v), MultiValue: true),
        new("dir", "<path>", "Data directory: the log segments, snapshots and state files (default ./dst-data).",
            o => o.Dir,
            (o, v) => v[0].Length == 0 ? "the data directory must not be empty" : Assign(() => o.Dir = v[0])),
        new("requirepass", "<password>", "Password of the default user; clients must AUTH before other commands. Empty: no password.",
            o => o.RequirePass ?? "",
            (o, v) => Assign(() => o.RequirePass = v[0].Length == 0 ? null : v[0]), RuntimeSettable: true),
        new("appendfsync", "always|everysec|no", "When the log is fsynced: before each batch of writes is acknowledged (always, the default), at most once a second (everysec), or when the OS decides (no).",
            o => o.AppendFsync switch { AppendFsync.Always => "always", AppendFsync.EverySec => "everysec", _ => "no" },
            (o, v) => SetEnum(v[0], AppendFsyncNames, x => o.AppendFsync = x), RuntimeSettable: true),
        new("maxclients", "<count>", "Most client connections open at once (default 10000); more are refused with an error.",
            o => Format(o.MaxClients),
            (o, v) => SetInt(v, 1, int.MaxValue, x => o.MaxClients = x), RuntimeSettable: true),
        new("io-threads", "<count>", "Threads that serve client connections, each running an epoll event loop over its share of them (default: a quarter of the processors, at least 1; at most 64).",
            o => Format(o.IoThreads),
            (o, v) => SetInt(v, 1, 64, x => o.IoThreads = x)),
        new("protected-mode", "yes|no", "With no password set, refuse clients that connect from non-loopback addresses (default yes).",
            o => o.ProtectedMode ? "yes" : "no",
            (o, v) => SetBool(v[0], x => o.ProtectedMode = x), RuntimeSettable: true),
        new("proto-max-bulk-len", "<size>", "Largest single bulk string a request may carry (default 512mb). APPEND and SETRANGE build strings of at most 512mb on every replica whatever it says.",
            o => SizeValue.Format(o.ProtoMaxBulkLen),
            (o, v) => SetSize(v[0], 1024 * 1024, x => o.ProtoMaxBulkLen = x), RuntimeSettable: true),
        new("client-query-buffer-limit", "<size>", "Most unprocessed request bytes buffered per client (default 1gb); past it the client is disconnected.",
            o => SizeValue.Format(o.ClientQueryBufferLimit),
            (o, v) => SetSize(v[0], 1024 * 1024, x => o.ClientQueryBufferLimit = x), RuntimeSettable: true),
        new("snapshot-every-entries", "<count>", "Snapshot the keyspace and truncate the log after this many log entries (default 100000; 0: only on SAVE, BGSAVE and SHUTDOWN).",
            o => Format(o.SnapshotEveryEntries),
            (o, v) => SetLong(v[0], 0, long.MaxValue, x => o.SnapshotEveryEntries = x), RuntimeSettable: true),
        new("snapshot-min-log-size", "<size>", "Snapshot automatically only once the log written since the last snapshot holds this many bytes and at least as many as that snapshot, as Redis rewrites its AOF at 100% growth past auto-aof-rewrite-min-size (default 64mb; 0: the entry count alone decides).",
            o => SizeValue.Format(o.SnapshotMinLogSize),
            (o, v) => SetSize(v[0], 0, x => o.SnapshotMinLogSize = x), RuntimeSettable: true),
        new("loglevel", "debug|verbose|notice|warning", "How much the server logs (default notice).",
            o => o.LogLevel.ToString().ToLowerInvariant(),
            (o, v) => SetEnum(v[0], LogLevelNames, x => o.LogLevel = x), RuntimeSettable: true),
        new("logfile", "<path>", "File the log is appended to; empty (the default) means standard output.",
            o => o.LogFile,
            (o, v) => Assign(() => o.LogFile = v[0])),

        // Replication (docs/operations.md, "Running a cluster").
        new("node-id", "<id>", "This node's id in the cluster, a positive integer (default 1).",
            o => o.NodeId.ToString(CultureInfo.InvariantCulture),
            (o, v) => ulong.TryParse(v[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
                ? Assign(() => o.NodeId = id)
                : "the node id must be a positive integer"),
        new("cluster-port", "<port>", "Port for node-to-node traffic (default: the client port + 10000).",
            o => Format(o.ClusterPort == 0 ? o.Port + 10000 : o.ClusterPort),
            (o, v) => SetInt(v, 1, 65535, x => o.ClusterPort = x)),
        new("peers", "<id@host:port[@cport]>,...", "The founding members of the cluster, this node included. Without it the node is a cluster of one.",
            o => string.Join(',', o.Peers),
            (o, v) => Assign(() => o.Peers = [.. v[0].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)])),
        new("cluster-secret", "<secret>", "Shared secret (at least 16 bytes) nodes prove to each other; required with --peers or --join.",
            o => o.ClusterSecret is null ? "" : "(set)",
            (o, v) => Assign(() => o.ClusterSecret = v[0].Length == 0 ? null : v[0])),
        new("join", "<host:port>", "Start empty and ask the member at host:port to add this node (it joins as a learner and is promoted once caught up).",
            o => o.Join ?? "",
            (o, v) => Assign(() => o.Join = v[0].Length == 0 ? null : v[0])),
        new("cluster-announce-ip", "<host>", "The address this node gives to peers and clients (MOVED, ROLE); default the first bind address.",
            o => o.AnnounceHost ?? "",
            (o, v) => Assign(() => o.AnnounceHost = v[0].Length == 0 ? null : v[0])),
        new("read-consistency", "linearizable|lease|stale", "How reads are ordered with writes: a ReadIndex round (linearizable, the default), the leader's lease, or local state (stale).",
            o => o.ReadConsistency.ToString().ToLowerInvariant(),
            (o, v) => SetEnum(v[0], ReadConsistencyNames, x => o.ReadConsistency = x)),
        new("routing", "proxy|redirect", "What a follower does with a command for the leader: forward it and relay the reply (proxy, the default) or answer -MOVED (redirect).",
            o => o.Routing.ToString().ToLowerInvariant(),
            (o, v) => SetEnum(v[0], RoutingNames, x => o.Routing = x), RuntimeSettable: true),
        new("dev-cluster", "<nodes>", "Start a local cluster of this many dst-server processes on consecutive ports from --port, data under --dir; Ctrl-C stops them all.",
            o => Format(o.DevCluster),
            (o, v) => SetInt(v, 0, 9, x => o.DevCluster = x)),

        // Compact encodings of small collections, with Redis's names and the older ziplist aliases.
        .. Commands.EncodingThresholds.All.SelectMany(EncodingOption),

        // Reported so that Redis tools which read them at start-up (redis-benchmark, client libraries) work.
        new("appendonly", "", "Always yes: every write goes through the log.", _ => "yes", null),
        new("save", "", "Always empty: Dst snapshots by log length, see snapshot-every-entries.", _ => "", null),
        new("timeout", "", "Always 0: idle clients are never closed.", _ => "0", null),
        new("databases", "", "Always 1: only database 0 exists.", _ => "1", null),
    ];

    private static readonly Dictionary<string, OptionDefinition> ByName =
        All.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);

    public static OptionDefinition? Find(string name) => ByName.GetValueOrDefault(name);

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// An encoding threshold and, when Redis has one, its old ziplist alias. Replicated: CONFIG SET
    /// proposes a Configure entry, so every replica converts collections at the same size.
    /// </summary>
    private static IEnumerable<OptionDefinition> EncodingOption(Commands.EncodingThreshold threshold)
    {
        OptionDefinition Define(string name, string text) => new(name, "<count>", text,
            o => Format(threshold.Get(o.Encodings)),
            (o, v) => threshold.TrySet(o.Encodings, v[0], out var updated) ?? Assign(() => o.Encodings = updated),
            RuntimeSettable: true,
            Replicated: true);
        yield return Define(threshold.Name, threshold.Description);
        if (threshold.Alias is { } alias)
        {
            yield return Define(alias, $"Alias of {threshold.Name}.");
        }
    }

    private static string? Assign(Action apply)
    {
        apply();
        return null;
    }

    private static string? SetInt(IReadOnlyList<string> values, int min, int max, Action<int> apply) =>
        SetLong(values[0], min, max, x => apply((int)x));

    private static string? SetLong(string text, long min, long max, Action<long> apply)
    {
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return "argument couldn't be parsed into an integer";
        }
        if (value < min || value > max)
        {
            return $"argument must be between {min} and {max} inclusive";
        }
        apply(value);
        return null;
    }

    private static string? SetSize(string text, long min, Action<long> apply)
    {
        if (!SizeValue.TryParse(text, out var bytes))
        {
            return "argument must be a memory value";
        }
        if (bytes < min)
        {
            return $"argument must be at least {min} bytes";
        }
        apply(bytes);
        return null;
    }

    private static string? SetBool(string text, Action<bool> apply)
    {
        if (text.Equals("yes", StringComparison.OrdinalIgnoreCase))
        {
            apply(true);
            return null;
        }
        if (text.Equals("no", StringComparison.OrdinalIgnoreCase))
        {
            apply(false);
            return null;
        }
        return "argument must be 'yes' or 'no'";
    }

    private static string? SetEnum<T>(string text, (string Name, T Value)[] names, Action<T> apply)
    {
        foreach (var (name, value) in names)
        {
            if (name.Equals(text, StringComparison.OrdinalIgnoreCase))
            {
                apply(value);
                return null;
            }
        }
        return $"argument(s) must be one of the following: {string.Join(", ", names.Select(n => n.Name))}";
    }

    private static string? SetBind(ServerOptions options, IReadOnlyList<string> values)
    {
        if (values.Count == 0 || values.Any(v => v.Length == 0))
        {
            return "bind needs at least one address";
        }
        options.Bind = [.. values];
        return null;
    }
}
