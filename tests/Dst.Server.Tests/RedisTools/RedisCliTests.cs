using System.Globalization;
using System.Text;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.RedisTools;

/// <summary>
/// The real redis-cli (Debian redis-tools) against dst-server. Expected outputs were taken from
/// redis-cli 7.0 talking to redis-server 7.0 with the same commands, so they are what a Redis user sees.
/// </summary>
public sealed class RedisCliTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task A_scripted_session_on_stdin_prints_what_redis_prints()
    {
        const string script = """
            SET cli:name dst
            GET cli:name
            INCR cli:n
            INCRBY cli:n 41
            GET cli:missing
            MSET cli:a 1 cli:b 2
            MGET cli:a cli:missing cli:b
            EXISTS cli:a cli:b
            DEL cli:a
            TYPE cli:b
            SET "cli:spaced key" "hello world"
            GET "cli:spaced key"
            INCR cli:name
            PING

            """;
        const string expected = "OK\ndst\n1\n42\n\nOK\n1\n\n2\n2\n1\nstring\nOK\nhello world\nERR value is not an integer or out of range\n\nPONG\n";
        var result = await RedisCliAsync([], script);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(expected, result.StandardOutput);
    }

    [Fact]
    public async Task No_raw_output_shows_types_like_an_interactive_session()
    {
        const string script = """
            SET cli:typed dst
            GET cli:typed
            INCR cli:typed-n
            GET cli:typed-missing
            MGET cli:typed cli:typed-missing
            INCR cli:typed
            KEYS cli:typed

            """;
        const string expected = "OK\n\"dst\"\n(integer) 1\n(nil)\n1) \"dst\"\n2) (nil)\n(error) ERR value is not an integer or out of range\n1) \"cli:typed\"\n";
        var result = await RedisCliAsync(["--no-raw"], script);
        Assert.Equal(expected, result.StandardOutput);
    }

    [Fact]
    public async Task Commands_given_as_arguments_print_one_reply_each()
    {
        Assert.Equal("OK\n", (await RedisCliAsync(["SET", "cli:arg", "two words"])).StandardOutput);
        Assert.Equal("two words\n", (await RedisCliAsync(["GET", "cli:arg"])).StandardOutput);
        Assert.Equal("\"two words\"\n", (await RedisCliAsync(["--no-raw", "GET", "cli:arg"])).StandardOutput);
        Assert.Equal("(integer) 1\n", (await RedisCliAsync(["--no-raw", "INCR", "cli:arg-n"])).StandardOutput);
        Assert.Equal("\n", (await RedisCliAsync(["GET", "cli:arg-missing"])).StandardOutput);
    }

    [Fact]
    public async Task Resp3_mode_shows_maps_and_nulls()
    {
        var hello = await RedisCliAsync(["-3", "--no-raw", "HELLO", "3"]);
        Assert.StartsWith("1# \"server\" => ", hello.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"proto\" => (integer) 3\n", hello.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("1# \"appendfsync\" => \"always\"\n", (await RedisCliAsync(["-3", "--no-raw", "CONFIG", "GET", "appendfsync"])).StandardOutput);
        Assert.Equal("(nil)\n", (await RedisCliAsync(["-3", "--no-raw", "GET", "cli:resp3-missing"])).StandardOutput);
    }

    [Fact]
    public async Task Pipe_mode_mass_inserts_ten_thousand_keys_without_errors()
    {
        const int count = 10_000;
        var commands = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var key = $"mass:{i:D8}";
            commands.Append(CultureInfo.InvariantCulture, $"*3\r\n$3\r\nSET\r\n${key.Length}\r\n{key}\r\n$16\r\nvalue-{i:D10}\r\n");
        }
        var result = await RedisCliAsync(["--pipe"], commands.ToString());
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"errors: 0, replies: {count}", result.StandardOutput, StringComparison.Ordinal);

        await using var redis = await Server.ConnectAsync();
        RespAssert.Bulk("value-0000000000", await redis.RunAsync("GET", "mass:00000000"));
        RespAssert.Bulk($"value-{count - 1:D10}", await redis.RunAsync("GET", $"mass:{count - 1:D8}"));
        Assert.Equal(count, (await redis.RunAsync("KEYS", "mass:*")).AsList().Count);
    }

    private Task<ProgramResult> RedisCliAsync(string[] arguments, string? standardInput = null) =>
        ExternalProgram.RunAsync(
            "redis-cli",
            ["-h", "127.0.0.1", "-p", Server.Port.ToString(CultureInfo.InvariantCulture), .. arguments],
            standardInput is null ? null : Encoding.UTF8.GetBytes(standardInput));
}
