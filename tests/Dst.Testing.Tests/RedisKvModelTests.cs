using Dst.Testing.Linearizability;

namespace Dst.Testing.Tests;

/// <summary>The Redis string model alone, and with the checker on hand-made histories.</summary>
public sealed class RedisKvModelTests
{
    private static readonly RedisKvModel Model = new();

    private static RedisKvInput Set(string value) => new(RedisKvCommand.Set, "k", value);

    private static RedisKvInput Append(string value) => new(RedisKvCommand.Append, "k", value);

    private static readonly RedisKvInput Get = new(RedisKvCommand.Get, "k");
    private static readonly RedisKvInput Incr = new(RedisKvCommand.Incr, "k");
    private static readonly RedisKvInput Del = new(RedisKvCommand.Del, "k");

    private static Operation<RedisKvInput, RedisKvReply> Ok(int client, RedisKvInput input, RedisKvReply reply, long call, long ret) =>
        Operation<RedisKvInput, RedisKvReply>.Completed(client, input, call, reply, ret);

    private static Operation<RedisKvInput, RedisKvReply> Unknown(int client, RedisKvInput input, long call) =>
        Operation<RedisKvInput, RedisKvReply>.Unknown(client, input, call);

    [Fact]
    public void Commands_behave_as_in_redis()
    {
        var state = Model.Initial;
        (RedisKvReply Reply, RedisKvState Next) Run(RedisKvInput input)
        {
            var result = RedisKvModel.Apply(state, input);
            state = result.Next;
            return result;
        }
        Assert.Equal(RedisKvReply.Nil, Run(Get).Reply);
        Assert.Equal(RedisKvReply.Integer(1), Run(Incr).Reply);
        Assert.Equal(RedisKvReply.Integer(2), Run(Append("7")).Reply);
        Assert.Equal(RedisKvReply.Integer(18), Run(Incr).Reply);
        Assert.Equal(RedisKvReply.Ok, Run(Set("x")).Reply);
        Assert.Equal(RedisKvReplyKind.Error, Run(Incr).Reply.Kind);
        Assert.Equal(RedisKvReply.Bulk("x"), Run(Get).Reply);
        Assert.Equal(RedisKvReply.Integer(1), Run(Del).Reply);
        Assert.Equal(RedisKvReply.Integer(0), Run(Del).Reply);
        Assert.Equal(RedisKvReply.Nil, Run(Get).Reply);
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("-5", true)]
    [InlineData("9223372036854775807", true)]
    [InlineData("9223372036854775808", false)]
    [InlineData("05", false)]
    [InlineData("-0", false)]
    [InlineData("+5", false)]
    [InlineData(" 5", false)]
    [InlineData("", false)]
    [InlineData("5x", false)]
    public void Incr_accepts_only_what_redis_string2ll_accepts(string value, bool accepted) =>
        Assert.Equal(accepted, RedisKvModel.TryParseCanonical(value, out _));

    [Fact]
    public void Incr_at_the_largest_integer_is_an_error_that_changes_nothing()
    {
        var state = new RedisKvState(long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (reply, next) = RedisKvModel.Apply(state, Incr);
        Assert.Equal(RedisKvReplyKind.Error, reply.Kind);
        Assert.Equal(state, next);
    }

    [Fact]
    public void Concurrent_increments_and_reads_in_a_consistent_order_are_linearizable()
    {
        var history = new[]
        {
            Ok(0, Incr, RedisKvReply.Integer(2), 0, 50),
            Ok(1, Incr, RedisKvReply.Integer(1), 10, 40),
            Ok(2, Get, RedisKvReply.Bulk("1"), 20, 30),
            Ok(2, Get, RedisKvReply.Bulk("2"), 60, 70),
        };
        Assert.True(LinearizabilityChecker.Check(Model, history).IsLinearizable);
    }

    [Fact]
    public void An_acknowledged_append_that_a_later_read_misses_is_not_linearizable()
    {
        var history = new[]
        {
            Ok(0, Set("1"), RedisKvReply.Ok, 0, 10),
            Ok(0, Append("2"), RedisKvReply.Integer(2), 20, 30),
            Ok(1, Get, RedisKvReply.Bulk("1"), 40, 50),
        };
        var result = LinearizabilityChecker.Check(Model, history);
        Assert.False(result.IsLinearizable);
        Assert.Equal(40, result.StuckAtCall); // the read no order explains
    }

    [Fact]
    public void An_unknown_increment_explains_a_read_only_if_it_may_have_happened_by_then()
    {
        var took = new[] { Unknown(0, Incr, 0), Ok(1, Get, RedisKvReply.Bulk("1"), 10, 20), Ok(1, Get, RedisKvReply.Bulk("1"), 30, 40) };
        var never = new[] { Unknown(0, Incr, 0), Ok(1, Get, RedisKvReply.Nil, 10, 20) };
        var tooEarly = new[] { Ok(1, Get, RedisKvReply.Bulk("1"), 0, 10), Unknown(0, Incr, 20) };
        var twice = new[] { Unknown(0, Incr, 0), Ok(1, Get, RedisKvReply.Bulk("2"), 10, 20) };
        Assert.True(LinearizabilityChecker.Check(Model, took).IsLinearizable);
        Assert.True(LinearizabilityChecker.Check(Model, never).IsLinearizable);
        Assert.False(LinearizabilityChecker.Check(Model, tooEarly).IsLinearizable);
        Assert.False(LinearizabilityChecker.Check(Model, twice).IsLinearizable);
    }

    [Fact]
    public void A_delete_reply_must_agree_with_whether_the_key_existed()
    {
        var fine = new[] { Ok(0, Set("3"), RedisKvReply.Ok, 0, 10), Ok(0, Del, RedisKvReply.Integer(1), 20, 30), Ok(1, Get, RedisKvReply.Nil, 40, 50) };
        var wrong = new[] { Ok(0, Set("3"), RedisKvReply.Ok, 0, 10), Ok(0, Del, RedisKvReply.Integer(0), 20, 30) };
        Assert.True(LinearizabilityChecker.Check(Model, fine).IsLinearizable);
        Assert.False(LinearizabilityChecker.Check(Model, wrong).IsLinearizable);
    }

    [Fact]
    public void Errors_match_by_kind_not_wording()
    {
        var history = new[]
        {
            Ok(0, Set("x"), RedisKvReply.Ok, 0, 10),
            Ok(0, Incr, RedisKvReply.Error("ERR some other wording"), 20, 30),
            Ok(1, Get, RedisKvReply.Bulk("x"), 40, 50),
        };
        Assert.True(LinearizabilityChecker.Check(Model, history).IsLinearizable);
    }
}
