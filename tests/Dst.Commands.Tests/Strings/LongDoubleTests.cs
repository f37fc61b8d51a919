using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.Strings;

/// <summary>
/// INCRBYFLOAT and HINCRBYFLOAT compute in C's long double, as Redis does. Every expected reply below is
/// what redis-server 7.0.15 answered to <c>SET k CURRENT</c> then <c>INCRBYFLOAT k INCREMENT</c>.
/// </summary>
public sealed class LongDoubleTests
{
    private readonly Harness _db = new();

    [Theory]
    [InlineData("0.1", "0.2", "0.3")]
    [InlineData("1.1", "2.2", "3.3")]
    [InlineData("10.50", "0.1", "10.6")]
    [InlineData("100", "0.01", "100.01")]
    [InlineData("3.0e3", "2.0e2", "3200")]
    [InlineData("-3", "1.5", "-1.5")]
    [InlineData("-0.1", "0.1", "0")]
    [InlineData("5", "-5", "0")]
    [InlineData("1e-20", "0", "0")]
    [InlineData("0", "-0.00000000000000001", "-0.00000000000000001")]
    [InlineData("2.5", "-1e-17", "2.49999999999999999")]
    [InlineData("1", "0.1e-16", "1.00000000000000001")]
    [InlineData("0.5", "0.000000000000000005", "0.5")] // a tie at the 17th decimal goes to even
    [InlineData("0.5", "0.000000000000000015", "0.50000000000000002")]
    [InlineData("12345678.1", "0.1", "12345678.2000000000007276")] // 64 bits of significand show past the 19th digit
    [InlineData("123456789012345.6", "0.1", "123456789012345.6999969482421875")]
    [InlineData("1e20", "1", "100000000000000000000")]
    [InlineData("99999999999999999999", "1", "100000000000000000000")]
    [InlineData("0x10", "0x1p-2", "16.25")]
    [InlineData("0", "0x.8", "0.5")]
    [InlineData("0", "0X1P+1", "2")]
    [InlineData("0", "0x1.8p-1", "0.75")]
    [InlineData("0", "-0x10", "-16")]
    [InlineData("0", "1e+2", "100")]
    [InlineData("7", ".5", "7.5")]
    [InlineData("7", "5.", "12")]
    [InlineData("7", "+.5e1", "12")]
    [InlineData("1e-4940", "0", "0")] // a subnormal long double
    [InlineData("1e308", "1e308",
        "199999999999999999993371759311691291321120199694831134415594095989843469737676123744200253843777078640893494450108026446304269499187921167194841628860392837535918200039206381557326219209014213335878306791577877829121087126122536729803237260434173178506889763247582601711514636284849020905456510092687857156096")]
    [InlineData("1.7976931348623157e308", "1e300",
        "179769314486231569991443988770819780007334289079368038987030377465874639197601736429581630264179915157006864701844936981836820542806146287458019188413983199755189327821092506022886598425456616041250987263930477089471301159068494454603830435866938674242822383594408660754932295154774318905843396620111489007616")]
    public void Increments_answer_as_redis_does(string current, string increment, string expected)
    {
        _db.Run("SET", "k", current);
        Assert.Equal(Bulk(expected), _db.Run("INCRBYFLOAT", "k", increment));
        Assert.Equal(Bulk(expected), _db.Run("GET", "k"));

        _db.Run("HSET", "h", "f", current);
        Assert.Equal(Bulk(expected), _db.Run("HINCRBYFLOAT", "h", "f", increment));
    }

    [Theory]
    [InlineData("1e4932", "1e4932", CommandErrors.NaNOrInfinity)] // past the long double's range
    [InlineData("7", "inf", CommandErrors.NaNOrInfinity)]
    [InlineData("1e-5000", "1", CommandErrors.NotFloat)] // underflows to zero
    [InlineData("1e5000", "1", CommandErrors.NotFloat)] // overflows
    [InlineData("7", "1e", CommandErrors.NotFloat)]
    [InlineData("7", "0x", CommandErrors.NotFloat)]
    [InlineData("7", "0x1p", CommandErrors.NotFloat)]
    [InlineData("7", "1.2.3", CommandErrors.NotFloat)]
    [InlineData("7", ".", CommandErrors.NotFloat)]
    [InlineData("7", "1_0", CommandErrors.NotFloat)]
    [InlineData("7", "nan", CommandErrors.NotFloat)]
    [InlineData("7", " 1", CommandErrors.NotFloat)]
    [InlineData("7", "1 ", CommandErrors.NotFloat)]
    public void Bad_operands_and_results_are_refused(string current, string increment, string error)
    {
        _db.Run("SET", "k", current);
        Assert.Equal(Err(error), _db.Run("INCRBYFLOAT", "k", increment));
        Assert.Equal(Bulk(current), _db.Run("GET", "k"));
    }

    [Fact]
    public void Hincrbyfloat_refuses_an_infinite_increment_before_looking_at_the_key()
    {
        _db.Run("SET", "s", "x");
        Assert.Equal(Err(CommandErrors.ValueNaNOrInfinity), _db.Run("HINCRBYFLOAT", "s", "f", "inf"));
        Assert.Equal(Err(CommandErrors.WrongType), _db.Run("HINCRBYFLOAT", "s", "f", "1"));
        _db.Run("HSET", "h", "f", "1e4932");
        Assert.Equal(Err(CommandErrors.NaNOrInfinity), _db.Run("HINCRBYFLOAT", "h", "f", "1e4932"));
        _db.Run("HSET", "h", "g", "abc");
        Assert.Equal(Err(CommandErrors.HashValueNotFloat), _db.Run("HINCRBYFLOAT", "h", "g", "1"));
    }
}
