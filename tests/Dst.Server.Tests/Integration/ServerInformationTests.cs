using System.Globalization;
using System.Text.RegularExpressions;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Integration;

/// <summary>INFO, CONFIG GET and COMMAND: what redis-benchmark, redis-cli and client libraries read at connect.</summary>
public sealed partial class ServerInformationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task Info_is_crlf_lines_under_section_headers_with_the_fields_clients_read()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("SET", "info:key", "v"));
        var info = (await redis.RunAsync("INFO")).AsString();

        Assert.DoesNotMatch(BareLineFeed(), info);
        Assert.StartsWith("# Server\r\n", info, StringComparison.Ordinal);
        foreach (var section in new[] { "Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "Keyspace" })
        {
            Assert.Contains($"# {section}\r\n", info, StringComparison.Ordinal);
        }
        var fields = ParseFields(info);
        foreach (var field in new[] { "redis_version", "redis_mode", "dst_version", "connected_clients", "used_memory", "role" })
        {
            Assert.True(fields.ContainsKey(field), $"INFO lacks '{field}':\n{info}");
        }
        Assert.Equal(Server.ProcessId.ToString(CultureInfo.InvariantCulture), fields["process_id"]);
        Assert.Equal(Server.Port.ToString(CultureInfo.InvariantCulture), fields["tcp_port"]);
        Assert.Matches("^[0-9a-f]{40}$", fields["run_id"]);
        Assert.Equal("0", fields["loading"]);
        Assert.Equal("master", fields["role"]);
        Assert.Matches(@"^keys=\d+,expires=\d+", fields["db0"]);
        Assert.True(long.Parse(fields["used_memory"], CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task Info_with_a_section_returns_only_that_section()
    {
        await using var redis = await Server.ConnectAsync();
        var server = (await redis.RunAsync("INFO", "server")).AsString();
        Assert.StartsWith("# Server\r\n", server, StringComparison.Ordinal);
        Assert.DoesNotContain("# Clients", server, StringComparison.Ordinal);
        var replication = (await redis.RunAsync("INFO", "replication")).AsString();
        Assert.StartsWith("# Replication\r\n", replication, StringComparison.Ordinal);
        Assert.Equal("master", ParseFields(replication)["role"]);
    }

    [Fact]
    public async Task Config_get_answers_what_redis_benchmark_asks_first()
    {
        await using var redis = await Server.ConnectAsync();
        var save = (await redis.RunAsync("CONFIG", "GET", "save")).AsList();
        Assert.Equal("save", save[0].AsString());
        var appendonly = (await redis.RunAsync("CONFIG", "GET", "appendonly")).AsList();
        Assert.Equal(["appendonly", "yes"], appendonly.Select(item => item.AsString()));
        RespAssert.Array(await redis.RunAsync("CONFIG", "GET", "appendfsync"), "appendfsync", "always");
        RespAssert.Array(await redis.RunAsync("CONFIG", "GET", "port"), "port", Server.Port.ToString(CultureInfo.InvariantCulture));
        RespAssert.Array(await redis.RunAsync("CONFIG", "GET", "no-such-setting"));
    }

    [Fact]
    public async Task Config_set_changes_a_setting_that_exists_and_refuses_unknown_ones()
    {
        await using var redis = await Server.ConnectAsync();
        RespAssert.Ok(await redis.RunAsync("CONFIG", "SET", "maxclients", "5000"));
        RespAssert.Array(await redis.RunAsync("CONFIG", "GET", "maxclients"), "maxclients", "5000");
        RespAssert.ErrorStartsWith("ERR Unknown option or number of arguments for CONFIG SET - 'no-such-setting'", await redis.RunAsync("CONFIG", "SET", "no-such-setting", "1"));
    }

    [Fact]
    public async Task Command_count_info_list_and_docs_describe_the_command_table()
    {
        await using var redis = await Server.ConnectAsync();
        var count = (await redis.RunAsync("COMMAND", "COUNT")).AsInteger();
        Assert.True(count >= 60, $"COMMAND COUNT is {count}, the foundation alone has more commands");
        Assert.Equal(count, (await redis.RunAsync("COMMAND")).AsList().Count);

        var names = (await redis.RunAsync("COMMAND", "LIST")).AsList().Select(name => name.AsString()).ToHashSet();
        Assert.Equal(count, names.Count);
        Assert.Superset(new HashSet<string> { "get", "set", "incr", "del", "expire", "scan", "info", "config", "hello" }, names);

        var info = (await redis.RunAsync("COMMAND", "INFO", "get", "no-such-command")).AsList();
        var get = info[0].AsList();
        Assert.Equal("get", get[0].AsString());
        RespAssert.Integer(2, get[1]);
        var flags = get[2].AsList().Select(flag => flag.AsString()).ToList();
        Assert.Contains("readonly", flags);
        RespAssert.Integer(1, get[3]);
        RespAssert.Integer(1, get[4]);
        RespAssert.Integer(1, get[5]);
        RespAssert.Nil(info[1]);

        var set = (await redis.RunAsync("COMMAND", "INFO", "set")).AsList()[0].AsList();
        RespAssert.Integer(-3, set[1]);
        Assert.Contains("write", set[2].AsList().Select(flag => flag.AsString()));

        var docs = await redis.RunAsync("COMMAND", "DOCS", "get");
        Assert.False(docs.IsError, docs.ToString());
        Assert.Equal("get", docs.AsList()[0].AsString());
    }

    [Fact]
    public async Task Time_echo_and_client_commands_answer()
    {
        await using var redis = await Server.ConnectAsync();
        var time = (await redis.RunAsync("TIME")).AsList();
        var seconds = long.Parse(time[0].AsString(), CultureInfo.InvariantCulture);
        Assert.InRange(seconds, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600);
        Assert.InRange(long.Parse(time[1].AsString(), CultureInfo.InvariantCulture), 0, 999_999);
        RespAssert.Bulk("tracer-123", await redis.RunAsync("ECHO", "tracer-123"));
        Assert.True((await redis.RunAsync("CLIENT", "ID")).AsInteger() > 0);
        RespAssert.Ok(await redis.RunAsync("CLIENT", "SETNAME", "info-test"));
        RespAssert.Ok(await redis.RunAsync("CLIENT", "SETINFO", "lib-name", "dst-tests"));
        Assert.Contains("name=info-test", (await redis.RunAsync("CLIENT", "LIST")).AsString(), StringComparison.Ordinal);
        Assert.Contains("name=info-test", (await redis.RunAsync("CLIENT", "INFO")).AsString(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> ParseFields(string info) =>
        info.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split(':', 2))
            .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : "");

    [GeneratedRegex("(?<!\r)\n")]
    private static partial Regex BareLineFeed();
}
