using System.Globalization;
using System.Text;
using Dst.Server.Tests.Infrastructure;

namespace Dst.Server.Tests.Features;

/// <summary>
/// The same scripted session through the real redis-cli and through Debian's python3-redis:
/// a transaction, typed commands, pub/sub and a BLPOP woken by another client's push.
/// </summary>
public sealed class ClientSessionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    private string Port => Server.Port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Redis_cli_runs_transactions_typed_commands_and_blocking_pops()
    {
        const string script = """
            MULTI
            SET cli:n 1
            INCR cli:n
            EXEC
            str.put cli:k1 v1
            str.get cli:k1
            dict.put cli:d k1 v1 k2 v2
            dict.get cli:d
            dict.get cli:d k2
            str.put cli:k1
            RPUSH cli:q a
            BLPOP cli:q 0
            BLPOP cli:q 0.01
            PUBLISH cli:ch m

            """;
        const string expected = "OK\nQUEUED\nQUEUED\nOK\n2\nok\nv1\nok\nk1\nv1\nk2\nv2\nv2\nERR wrong number of arguments for 'str.put' command\n\n1\ncli:q\na\n\n0\n";
        var result = await ExternalProgram.RunAsync("redis-cli", ["-h", "127.0.0.1", "-p", Port], Encoding.UTF8.GetBytes(script));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(expected, result.StandardOutput);

        var pretty = await ExternalProgram.RunAsync("redis-cli", ["-h", "127.0.0.1", "-p", Port, "-3", "--no-raw", "dict.get", "cli:d"]);
        Assert.Equal("1# \"k1\" => \"v1\"\n2# \"k2\" => \"v2\"\n", pretty.StandardOutput);
        Assert.Equal("\"ok\"\n", (await ExternalProgram.RunAsync("redis-cli", ["-h", "127.0.0.1", "-p", Port, "--no-raw", "str.put", "cli:k2", "v"])).StandardOutput);
    }

    [Fact]
    public async Task Python_redis_runs_a_pipeline_transaction_pubsub_and_a_woken_blpop()
    {
        const string script = """
            import sys, threading, redis
            port = int(sys.argv[1])
            r = redis.Redis(host="127.0.0.1", port=port, decode_responses=True)
            print(r.execute_command("str.put", "py:k1", "v1"), r.get("py:k1"))
            r.execute_command("dict.put", "py:d", "a", "1", "b", "2")
            print(r.hgetall("py:d") == {"a": "1", "b": "2"})

            pipe = r.pipeline(transaction=True)
            pipe.set("py:n", 1).incr("py:n").get("py:n")
            print(pipe.execute())

            with r.pipeline() as p:
                p.watch("py:w")
                r.set("py:w", "someone else")
                p.multi()
                p.set("py:w", "mine")
                try:
                    p.execute()
                    print("executed")
                except redis.WatchError:
                    print("watch-error")

            ps = r.pubsub()
            ps.subscribe("py:ch")
            print(ps.get_message(timeout=30)["type"])
            print(r.publish("py:ch", "hi"))
            message = ps.get_message(timeout=30)
            print(message["type"], message["channel"], message["data"])
            ps.close()

            def push_when_blocked():
                other = redis.Redis(host="127.0.0.1", port=port)
                while other.info("clients")["blocked_clients"] < 1:
                    pass
                other.rpush("py:q", "job")

            pusher = threading.Thread(target=push_when_blocked)
            pusher.start()
            print(r.blpop(["py:q"], timeout=0))
            pusher.join()
            """;
        const string expected = "ok v1\nTrue\n[True, 2, '2']\nwatch-error\nsubscribe\n1\nmessage py:ch hi\n('py:q', 'job')\n";
        var result = await ExternalProgram.RunAsync("/usr/bin/python3", ["-", Port], Encoding.UTF8.GetBytes(script));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(expected, result.StandardOutput);
    }
}
