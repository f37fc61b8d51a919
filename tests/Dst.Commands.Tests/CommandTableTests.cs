using System.Text;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests;

public sealed class CommandTableTests
{
    private static readonly string[] IssueTwoCommands =
    [
        "get", "set", "setnx", "setex", "psetex", "getset", "getdel", "getex", "mget", "mset", "msetnx", "append",
        "strlen", "incr", "decr", "incrby", "decrby", "incrbyfloat", "getrange", "setrange", "setxx",
        "del", "unlink", "exists", "type", "expire", "pexpire", "expireat", "pexpireat", "ttl", "pttl", "expiretime",
        "pexpiretime", "persist", "rename", "renamenx", "keys", "scan", "randomkey", "dbsize", "flushdb", "flushall",
        "touch", "copy", "select", "ping", "echo", "quit", "reset", "hello", "auth", "client", "info", "config",
        "time", "save", "bgsave", "lastsave", "shutdown", "command",
    ];

    [Fact]
    public void Declares_every_issue_two_command()
    {
        foreach (var name in IssueTwoCommands)
        {
            Assert.NotNull(CommandTable.Default.Lookup(name));
        }
    }

    [Fact]
    public void Keyspace_commands_have_handlers_and_server_commands_do_not()
    {
        foreach (var spec in CommandTable.Default.All)
        {
            Assert.Equal(spec.IsServer, spec.Handler is null);
            Assert.False(spec.IsWrite && spec.IsReadOnly, spec.Name);
        }
    }

    [Theory]
    [InlineData("get", 2, 1, 1, 1)]
    [InlineData("set", -3, 1, 1, 1)]
    [InlineData("mset", -3, 1, -1, 2)]
    [InlineData("mget", -2, 1, -1, 1)]
    [InlineData("rename", 3, 1, 2, 1)]
    [InlineData("ping", -1, 0, 0, 0)]
    [InlineData("keys", 2, 0, 0, 0)]
    public void Arity_and_key_positions_are_redis(string name, int arity, int first, int last, int step)
    {
        var spec = CommandTable.Default.Lookup(name)!;
        Assert.Equal((arity, first, last, step), (spec.Arity, spec.FirstKey, spec.LastKey, spec.KeyStep));
    }

    [Fact]
    public void Lookup_ignores_ascii_case_and_rejects_strangers()
    {
        Assert.Same(CommandTable.Default.Lookup("get"), CommandTable.Default.Lookup("GeT"u8));
        Assert.Null(CommandTable.Default.Lookup("nosuch"u8));
        Assert.Null(CommandTable.Default.Lookup(""u8));
        Assert.Null(CommandTable.Default.Lookup("gét"u8));
        Assert.Null(CommandTable.Default.Lookup(Encoding.ASCII.GetBytes(new string('g', 100))));
    }

    [Fact]
    public void Lookup_by_bytes_finds_every_command_in_any_case_and_only_it()
    {
        foreach (var spec in CommandTable.Default.All)
        {
            Assert.Same(spec, CommandTable.Default.Lookup(Encoding.ASCII.GetBytes(spec.Name)));
            Assert.Same(spec, CommandTable.Default.Lookup(Encoding.ASCII.GetBytes(spec.Name.ToUpperInvariant())));
        }
        // Bytes that differ from a name only in bit 0x20 outside the letters hash alike but are other names.
        Assert.NotNull(CommandTable.Default.Lookup("dst.propose"u8));
        Assert.Null(CommandTable.Default.Lookup("dst\u000epropose"u8));
    }

    [Fact]
    public void Lookup_by_bytes_does_not_allocate()
    {
        var table = CommandTable.Default;
        var name = "INCRBYFLOAT"u8.ToArray();
        table.Lookup(name);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            table.Lookup(name);
            table.Lookup("unknown"u8);
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Arity_check_follows_the_negative_minimum_rule()
    {
        Assert.True(CommandArity.Check(2, 2));
        Assert.False(CommandArity.Check(2, 3));
        Assert.True(CommandArity.Check(-3, 5));
        Assert.False(CommandArity.Check(-3, 2));
    }

    [Fact]
    public void Duplicate_or_uppercase_names_are_rejected()
    {
        var spec = CommandTable.Default.Lookup("get")!;
        Assert.Throws<ArgumentException>(() => new CommandTable([spec], [spec]));
        Assert.Throws<ArgumentException>(() => new CommandTable([spec with { Name = "GET" }]));
        Assert.Throws<ArgumentException>(() => new CommandTable([spec with { Handler = null }]));
    }

    [Fact]
    public void Wrong_arity_and_unknown_command_errors_are_worded_like_redis()
    {
        var db = new Harness();
        Assert.Equal(Err("ERR wrong number of arguments for 'get' command"), db.Run("GET"));
        Assert.Equal(Err("ERR unknown command 'foo', with args beginning with: 'a' 'b' "), db.Run("foo", "a", "b"));
        Assert.Equal(Err("ERR unknown command 'foo', with args beginning with: "), db.Run("foo"));
        var longArg = new string('x', 200);
        var reply = db.Run("foo", longArg, "next");
        Assert.Equal(Err($"ERR unknown command 'foo', with args beginning with: '{new string('x', 128)}' "), reply);
    }
}
