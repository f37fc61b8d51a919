using Dst.Commands.Docs;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.Docs;

/// <summary>
/// The typed usage lines the specs declare, and COMMAND DOCS built from them. The Redis commands'
/// lines were written from redis-server 7.0.15's COMMAND DOCS; its argument trees and ours were
/// compared name by name, type by type, flag by flag for every Redis command in the table.
/// </summary>
public sealed class CommandSyntaxTests
{
    [Fact]
    public void Set_parses_into_redis_argument_tree()
    {
        var arguments = CommandSyntax.Parse("key:key value:string [condition{nx:NX|xx:XX}] [get:GET] [expiration{EX seconds:integer|keepttl:KEEPTTL}]");
        Assert.Equal(5, arguments.Count);
        Assert.Equal(new CommandArgument("key", "key", null, false, false, 0, []), arguments[0] with { Children = [] });
        Assert.Equal(("condition", "oneof", true), (arguments[2].Name, arguments[2].Type, arguments[2].Optional));
        Assert.Equal(["NX", "XX"], arguments[2].Children.Select(c => c.Token));
        Assert.Equal(("get", "pure-token", "GET"), (arguments[3].Name, arguments[3].Type, arguments[3].Token));
        var seconds = arguments[4].Children[0];
        Assert.Equal(("seconds", "integer", "EX", false), (seconds.Name, seconds.Type, seconds.Token, seconds.Optional));
    }

    [Fact]
    public void Blocks_tokens_and_repetition()
    {
        var arguments = CommandSyntax.Parse("destination:key numkeys:integer key:key... [WEIGHTS weight:integer...] [LIMIT offset_count(offset:integer count:integer)]");
        Assert.Equal([0, -1, 1, -1, -1], arguments.Select(a => a.KeySpecIndex));
        Assert.True(arguments[2].Multiple);
        Assert.Equal(("weight", "WEIGHTS", true, true), (arguments[3].Name, arguments[3].Token, arguments[3].Optional, arguments[3].Multiple));
        Assert.Equal(("block", "LIMIT"), (arguments[4].Type, arguments[4].Token));
        Assert.Equal(["offset", "count"], arguments[4].Children.Select(c => c.Name));
        Assert.Equal("destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [LIMIT offset count]", CommandSyntax.Usage(arguments));
    }

    [Fact]
    public void Keys_in_the_alternatives_of_a_choice_share_one_key_spec()
    {
        var arguments = CommandSyntax.Parse("subcommand{ENCODING key:key|FREQ key:key|help:HELP} other:key");
        Assert.Equal([0, 0, -1], arguments[0].Children.Select(c => c.KeySpecIndex));
        Assert.Equal(1, arguments[1].KeySpecIndex);
    }

    [Theory]
    [InlineData("key", "needs a ':type'")]
    [InlineData("key:thing", "neither a value type nor a token")]
    [InlineData("[key:key", "expected ']'")]
    [InlineData("a{x:X|", "expected a name")]
    [InlineData("a(x:string", "expected ')'")]
    [InlineData("lower key:key", "is not a token")]
    public void Bad_syntax_is_refused_with_its_position(string syntax, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => CommandSyntax.Parse(syntax));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{syntax}\" at ", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Every command that can take arguments declares them (QUIT ignores any, as in Redis's docs).</summary>
    [Fact]
    public void Every_command_with_arguments_declares_them()
    {
        foreach (var spec in CommandTable.Default.All)
        {
            var takesArguments = spec.Arity != 1 && spec.Name != "quit";
            Assert.True(takesArguments == spec.Arguments.Count > 0, $"{spec.Name}: arity {spec.Arity}, {spec.Arguments.Count} declared arguments");
        }
    }

    [Fact]
    public void Docs_reply_carries_the_arguments_as_redis_does()
    {
        var expected = "*2\r\n$4\r\nllen\r\n*10\r\n$7\r\nsummary\r\n";
        var reply = new Harness().Run("COMMAND", "DOCS", "llen");
        Assert.StartsWith(expected, reply);
        Assert.EndsWith("$9\r\narguments\r\n*1\r\n*6\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n", reply);
        var exec = new Harness().Run("COMMAND", "DOCS", "exec");
        Assert.DoesNotContain("arguments", exec);
        Assert.StartsWith("*2\r\n$4\r\nexec\r\n*8\r\n", exec);
        Assert.Contains(Bulk("pure-token"), new Harness().Run("COMMAND", "DOCS", "set"));
    }
}
