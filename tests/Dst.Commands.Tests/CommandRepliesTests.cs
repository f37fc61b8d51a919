using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests;

public sealed class CommandRepliesTests
{
    private readonly Harness _db = new();

    [Fact]
    public void Count_is_the_table_size()
    {
        Assert.Equal(Int(CommandTable.Default.Count), _db.Run("COMMAND", "COUNT"));
    }

    [Fact]
    public void Info_entry_has_the_ten_redis_fields()
    {
        var expected =
            "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
            + "*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n"
            + "*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n"
            + "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n"
            + "$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n"
            + "*0\r\n";
        Assert.Equal(expected, _db.Run("COMMAND", "INFO", "GET"));
        Assert.Equal(Array(Nil), _db.Run("COMMAND", "INFO", "nosuch"));
    }

    [Fact]
    public void Command_without_arguments_lists_every_command()
    {
        Assert.StartsWith($"*{CommandTable.Default.Count}\r\n*10\r\n", _db.Run("COMMAND"));
    }

    [Fact]
    public void Docs_are_a_map_per_command()
    {
        var expected = "*2\r\n$4\r\necho\r\n*10\r\n$7\r\nsummary\r\n$25\r\nReturns the given string.\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n"
            + "$5\r\ngroup\r\n$10\r\nconnection\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\narguments\r\n"
            + "*1\r\n*4\r\n$4\r\nname\r\n$7\r\nmessage\r\n$4\r\ntype\r\n$6\r\nstring\r\n";
        Assert.Equal(expected, _db.Run("COMMAND", "DOCS", "echo", "nosuch"));
        Assert.StartsWith($"*{CommandTable.Default.Count * 2}\r\n", _db.Run("COMMAND", "DOCS"));
    }

    [Fact]
    public void Docs_in_resp3_is_a_real_map()
    {
        var db = new Harness(version: Protocol.RespVersion.Resp3);
        Assert.StartsWith("%1\r\n$4\r\necho\r\n%5\r\n", db.Run("COMMAND", "DOCS", "echo"));
    }

    [Fact]
    public void List_with_filters()
    {
        Assert.StartsWith($"*{CommandTable.Default.Count}\r\n", _db.Run("COMMAND", "LIST"));
        Assert.Equal(Bulks("getdel", "getex", "getrange", "getset"), _db.Run("COMMAND", "LIST", "FILTERBY", "PATTERN", "get?*"));
        Assert.Equal("*0\r\n", _db.Run("COMMAND", "LIST", "FILTERBY", "MODULE", "json"));
        Assert.Contains(Bulk("incrbyfloat"), _db.Run("COMMAND", "LIST", "FILTERBY", "ACLCAT", "string"));
        Assert.DoesNotContain(Bulk("del"), _db.Run("COMMAND", "LIST", "FILTERBY", "ACLCAT", "string"));
        Assert.Equal(Syntax, _db.Run("COMMAND", "LIST", "FILTERBY", "COLOR", "red"));
    }

    [Fact]
    public void Getkeys_uses_key_positions()
    {
        Assert.Equal(Bulks("a", "c"), _db.Run("COMMAND", "GETKEYS", "MSET", "a", "b", "c", "d"));
        Assert.Equal(Bulks("k"), _db.Run("COMMAND", "GETKEYS", "SET", "k", "v", "EX", "10"));
        Assert.Equal(Bulks("src", "dst"), _db.Run("COMMAND", "GETKEYS", "RENAME", "src", "dst"));
        Assert.Equal(Err("ERR Invalid command specified"), _db.Run("COMMAND", "GETKEYS", "nosuch", "a"));
        Assert.Equal(Err("ERR The command has no key arguments"), _db.Run("COMMAND", "GETKEYS", "PING", "a"));
        Assert.Equal(Err("ERR wrong number of arguments for 'command|getkeys' command"), _db.Run("COMMAND", "GETKEYS", "PING"));
        Assert.Equal(Err("ERR Invalid number of arguments specified for command"), _db.Run("COMMAND", "GETKEYS", "GET", "a", "b"));
    }

    [Fact]
    public void Unknown_subcommand_and_help()
    {
        Assert.Equal(Err("ERR unknown subcommand 'nope'. Try COMMAND HELP."), _db.Run("COMMAND", "nope"));
        Assert.StartsWith("*21\r\n+COMMAND <subcommand>", _db.Run("COMMAND", "HELP"));
    }
}
