using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Dst.Server.Info;

/// <summary>
/// Builds INFO's text: "# Section" headers, "field:value" lines, CRLF line ends, a blank line
/// between sections, in Redis's field names (clients parse them) plus our own dst_* fields.
/// </summary>
public sealed class InfoBuilder
{
    private readonly ServerContext _server;
    private readonly StringBuilder _text = new();

    public InfoBuilder(ServerContext server) => _server = server;

    public string Build(InfoSections sections)
    {
        Section(sections, "server", Server);
        Section(sections, "clients", Clients);
        Section(sections, "memory", Memory);
        Section(sections, "persistence", Persistence);
        Section(sections, "stats", Stats);
        Section(sections, "replication", Replication);
        Section(sections, "cpu", Cpu);
        Section(sections, "keyspace", Keyspace);
        return _text.ToString();
    }

    private void Section(InfoSections sections, string name, Action write)
    {
        if (!sections.Includes(name))
        {
            return;
        }
        if (_text.Length > 0)
        {
            _text.Append("\r\n");
        }
        _text.Append("# ").Append(char.ToUpperInvariant(name[0])).Append(name, 1, name.Length - 1).Append("\r\n");
        write();
    }

    private void Field(string name, string value) => _text.Append(name).Append(':').Append(value).Append("\r\n");

    private void Field(string name, long value) => Field(name, value.ToString(CultureInfo.InvariantCulture));

    private void Server()
    {
        var options = _server.Options;
        var uptime = DateTimeOffset.UtcNow - _server.StartedAt;
        Field("redis_version", ServerVersion.RedisCompatible);
        Field("dst_version", ServerVersion.Dst);
        Field("redis_mode", "standalone");
        Field("os", RuntimeInformation.OSDescription);
        Field("arch_bits", IntPtr.Size * 8);
        Field("runtime", RuntimeInformation.FrameworkDescription);
        Field("process_id", Environment.ProcessId);
        Field("run_id", _server.RunId);
        Field("tcp_port", options.Port);
        Field("server_time_usec", (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10);
        Field("uptime_in_seconds", (long)uptime.TotalSeconds);
        Field("uptime_in_days", (long)uptime.TotalDays);
        Field("executable", Environment.ProcessPath ?? "");
        Field("config_file", options.ConfigFile ?? "");
    }

    private void Clients()
    {
        Field("connected_clients", _server.Clients.Count);
        Field("maxclients", _server.Options.MaxClients);
        Field("blocked_clients", _server.Blocked.Count);
    }

    private void Memory()
    {
        var used = GC.GetTotalMemory(forceFullCollection: false);
        var rss = Environment.WorkingSet;
        Field("used_memory", used);
        Field("used_memory_human", Human(used));
        Field("used_memory_rss", rss);
        Field("used_memory_rss_human", Human(rss));
        Field("total_system_memory", GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        Field("maxmemory", 0);
        Field("maxmemory_policy", "noeviction");
        Field("mem_allocator", "dotnet-gc");
        // For measuring a command path's allocations from outside: read before and after a benchmark.
        Field("dst_allocated_bytes_total", GC.GetTotalAllocatedBytes());
        Field("dst_gc_collections", $"{GC.CollectionCount(0)},{GC.CollectionCount(1)},{GC.CollectionCount(2)}");
    }

    private void Persistence()
    {
        var status = _server.CommandLog.Status;
        var options = _server.Options;
        Field("loading", 0);
        Field("async_loading", 0);
        Field("rdb_changes_since_last_save", status.EntriesSinceSnapshot);
        Field("rdb_bgsave_in_progress", status.SnapshotInProgress ? 1 : 0);
        Field("rdb_last_save_time", status.LastSnapshotUnixSeconds);
        Field("rdb_last_bgsave_status", status.LastSnapshotOk ? "ok" : "err");
        Field("aof_enabled", 1);
        Field("aof_rewrite_in_progress", 0);
        Field("aof_last_write_status", "ok"); // a node whose log write fails stops (docs/operations.md)
        Field("dst_appendfsync", OptionValue("appendfsync"));
        Field("dst_snapshot_every_entries", options.SnapshotEveryEntries);
        Field("dst_log_first_index", (long)status.FirstIndex);
        Field("dst_log_last_index", (long)status.LastIndex);
        Field("dst_log_durable_index", (long)status.DurableIndex);
        Field("dst_applied_index", (long)status.AppliedIndex);
        Field("dst_snapshot_index", (long)status.SnapshotIndex);
        Field("dst_data_dir", Path.GetFullPath(options.Dir));
    }

    private void Stats()
    {
        var stats = _server.Stats;
        Field("total_connections_received", stats.ConnectionsReceived);
        Field("total_commands_processed", stats.CommandsProcessed);
        Field("total_net_input_bytes", stats.InputBytes);
        Field("total_net_output_bytes", stats.OutputBytes);
        Field("rejected_connections", stats.RejectedConnections);
        Field("expired_keys", stats.ExpiredKeysProposed);
        Field("evicted_keys", 0);
        Field("total_error_replies", stats.ErrorReplies);
    }

    /// <summary>
    /// Redis's replication fields from the data group: the leader is the master, every other member a
    /// replica; offsets are log indexes. Then the Raft view seed 002's failover tooling reads: term,
    /// leader, commit and applied index, and per follower its match index and lag.
    /// </summary>
    private void Replication()
    {
        var status = _server.Node!.Group.Status;
        var leader = status.LeaderAddress;
        Field("role", status.IsLeader ? "master" : "slave");
        if (!status.IsLeader)
        {
            Field("master_host", leader?.Host ?? "");
            Field("master_port", leader?.Port ?? 0);
            Field("master_link_status", leader is null ? "down" : "up");
            Field("slave_repl_offset", (long)status.AppliedIndex);
            Field("slave_read_only", 1);
        }
        var followers = status.IsLeader ? status.Peers : [];
        Field("connected_slaves", followers.Count);
        for (var i = 0; i < followers.Count; i++)
        {
            var peer = followers[i];
            var address = status.Addresses.TryGetValue(peer.NodeId, out var known) ? known : default;
            var lag = status.LastIndex > peer.Match ? status.LastIndex - peer.Match : 0;
            Field($"slave{i}", string.Create(CultureInfo.InvariantCulture,
                $"ip={address.Host},port={address.Port},state={(peer.RecentActive ? "online" : "wait_bgsave")},offset={peer.Match},lag={lag},node_id={peer.NodeId},voter={(peer.IsVoter ? 1 : 0)},progress={peer.State.ToLowerInvariant()}"));
        }
        Field("master_failover_state", "no-failover");
        Field("master_replid", _server.RunId);
        Field("master_repl_offset", (long)status.AppliedIndex);
        Field("raft_node_id", (long)status.NodeId);
        Field("raft_role", status.Role.ToString().ToLowerInvariant());
        Field("raft_term", (long)status.Term);
        Field("raft_leader_id", (long)status.LeaderId);
        Field("raft_commit_index", (long)status.CommitIndex);
        Field("raft_applied_index", (long)status.AppliedIndex);
        Field("raft_last_index", (long)status.LastIndex);
        Field("raft_snapshot_index", (long)status.SnapshotIndex);
        Field("raft_voters", string.Join(',', status.Voters));
        Field("raft_learners", string.Join(',', status.Learners));
        if (_server.Node!.CommandLog.Forwarder is { } forwarder)
        {
            Field("forward_leader_id", (long)forwarder.LinkLeaderId);
            Field("forward_in_flight", forwarder.InFlight);
            Field("forward_retries", forwarder.Retries);
        }
    }

    private void Cpu()
    {
        using var process = Process.GetCurrentProcess();
        Field("used_cpu_sys", process.PrivilegedProcessorTime.TotalSeconds.ToString("F6", CultureInfo.InvariantCulture));
        Field("used_cpu_user", process.UserProcessorTime.TotalSeconds.ToString("F6", CultureInfo.InvariantCulture));
    }

    /// <summary>Redis lists only databases that hold keys.</summary>
    private void Keyspace()
    {
        var stateMachine = _server.StateMachine;
        int keys;
        int expires;
        lock (stateMachine.SyncRoot)
        {
            keys = stateMachine.Keyspace.Count;
            expires = stateMachine.Keyspace.VolatileCount;
        }
        if (keys > 0)
        {
            Field("db0", $"keys={keys},expires={expires},avg_ttl=0");
        }
    }

    private string OptionValue(string name) => Options.OptionCatalog.Find(name)!.Get(_server.Options);

    private static string Human(long bytes)
    {
        string[] units = ["B", "K", "M", "G", "T"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes}B" : value.ToString("F2", CultureInfo.InvariantCulture) + units[unit];
    }
}
