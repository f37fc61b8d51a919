using System.Text;
using Dst.Commands.Keys;

namespace Dst.Commands.Tests.Keys;

public sealed class GlobMatcherTests
{
    [Theory]
    // From Redis's KEYS documentation and keyspace tests.
    [InlineData("h?llo", "hello", true)]
    [InlineData("h?llo", "hallo", true)]
    [InlineData("h?llo", "hllo", false)]
    [InlineData("h*llo", "hllo", true)]
    [InlineData("h*llo", "heeeello", true)]
    [InlineData("h[ae]llo", "hello", true)]
    [InlineData("h[ae]llo", "hillo", false)]
    [InlineData("h[^e]llo", "hallo", true)]
    [InlineData("h[^e]llo", "hello", false)]
    [InlineData("h[a-b]llo", "hbllo", true)]
    [InlineData("h[a-b]llo", "hcllo", false)]
    [InlineData("h[b-a]llo", "hallo", true)]
    // Like Redis's stringmatchlen, a star needs the text to be non-empty (KEYS * takes a fast path instead).
    [InlineData("*", "", false)]
    [InlineData("*", "anything", true)]
    [InlineData("**", "x", true)]
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    [InlineData("a*", "", false)]
    [InlineData("*a", "ba", true)]
    [InlineData("*a*", "xxaxx", true)]
    [InlineData("a*b*c", "aXbYc", true)]
    [InlineData("a*b*c", "aXbYd", false)]
    [InlineData("?", "", false)]
    [InlineData(@"h\*llo", "h*llo", true)]
    [InlineData(@"h\*llo", "hello", false)]
    [InlineData(@"\?", "?", true)]
    [InlineData(@"\?", "a", false)]
    [InlineData(@"[\]]", "]", true)]
    [InlineData(@"[\-]", "-", true)]
    // "[a-]" is the range from ']' to 'a' in Redis, not 'a' or '-'.
    [InlineData("[a-]", "-", false)]
    [InlineData("[a-]", "^", true)]
    [InlineData("[abc", "a", true)]
    [InlineData("[abc", "d", false)]
    [InlineData("[", "a", false)]
    [InlineData("[^", "a", true)]
    [InlineData(@"trailing\", @"trailing\", true)]
    [InlineData("key:{user1}:*", "key:{user1}:name", true)]
    public void Matches_like_redis(string pattern, string text, bool expected) =>
        Assert.Equal(expected, GlobMatcher.IsMatch(Encoding.UTF8.GetBytes(pattern), Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Ignore_case_applies_to_bytes_and_ranges()
    {
        Assert.True(GlobMatcher.IsMatch("HeLLo"u8, "hello"u8, ignoreCase: true));
        Assert.True(GlobMatcher.IsMatch("[A-C]x"u8, "bX"u8, ignoreCase: true));
        Assert.False(GlobMatcher.IsMatch("HeLLo"u8, "hello"u8));
    }

    [Fact]
    public void Pathological_star_patterns_finish_without_exponential_backtracking()
    {
        // Redis's regression case: without the skip-longer-matches rule this takes astronomically long.
        var pattern = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("a*", 40)) + "b");
        var text = Encoding.ASCII.GetBytes(new string('a', 200));
        Assert.False(GlobMatcher.IsMatch(pattern, text));
        Assert.True(GlobMatcher.IsMatch(pattern, [.. text, (byte)'b']));
    }

    [Fact]
    public void Nesting_beyond_the_guard_does_not_overflow_the_stack()
    {
        var pattern = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("*a", 5000)));
        var text = Encoding.ASCII.GetBytes(new string('a', 5000));
        Assert.False(GlobMatcher.IsMatch(pattern, text));
    }

    [Fact]
    public void Matches_everything_only_for_all_stars()
    {
        Assert.True(GlobMatcher.MatchesEverything("*"u8));
        Assert.True(GlobMatcher.MatchesEverything("***"u8));
        Assert.False(GlobMatcher.MatchesEverything("*a"u8));
        Assert.False(GlobMatcher.MatchesEverything(""u8));
    }
}
