using Dst.Commands.Tests.Hashes;
using static Dst.Commands.Tests.Resp;

namespace Dst.Commands.Tests.Sets;

/// <summary>
/// Random set operations against the state machine and a HashSet model, compared after every step
/// (the reply, then every set's members). Members mix integers and strings of several lengths and
/// the thresholds are small, so sets move through intset, listpack and hashtable.
/// Replay a failure with <c>DST_MODEL_SEED=&lt;seed&gt; dotnet test --filter SetModelTests</c>.
/// </summary>
public sealed class SetModelTests
{
    private static readonly StateMachineOptions Small = new() { SetMaxIntsetEntries = 6, SetMaxListpackEntries = 5, SetMaxListpackValue = 4 };

    private static readonly string[] Keys = ["s0", "s1", "s2"];

    public static TheoryData<int> Seeds() => ModelSeeds.Get(21, 22, 23, 24);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Sets_match_a_hashset_model(int seed)
    {
        var random = new Random(seed);
        var db = new Harness(Small);
        var model = Keys.ToDictionary(key => key, _ => new HashSet<string>());
        for (var step = 0; step < 3_000; step++)
        {
            db.Now += 1;
            var key = Keys[random.Next(Keys.Length)];
            var other = Keys[random.Next(Keys.Length)];
            var set = model[key];
            string Member() => random.Next(3) switch
            {
                0 => random.Next(-10, 10).ToString(),
                1 => $"m{random.Next(8)}",
                _ => $"long{random.Next(4)}",
            };
            string[] command;
            string expected;
            switch (random.Next(11))
            {
                case 0 or 1:
                    var added = new[] { Member(), Member() };
                    command = ["SADD", key, .. added];
                    expected = Int(added.Distinct().Count(set.Add));
                    break;
                case 2:
                    var removed = new[] { Member(), Member() };
                    command = ["SREM", key, .. removed];
                    expected = Int(removed.Distinct().Count(set.Remove));
                    break;
                case 3:
                    var probe = Member();
                    command = ["SISMEMBER", key, probe];
                    expected = Int(set.Contains(probe) ? 1 : 0);
                    break;
                case 4:
                    command = ["SCARD", key];
                    expected = Int(set.Count);
                    break;
                case 5:
                    var moved = Member();
                    command = ["SMOVE", key, other, moved];
                    expected = Int(set.Contains(moved) ? 1 : 0);
                    if (set.Remove(moved))
                    {
                        model[other].Add(moved);
                    }
                    break;
                case 6:
                    var count = random.Next(0, 4);
                    command = ["SPOP", key, count.ToString()];
                    var popped = SetCommandsTests.Members(db.Run(command));
                    Assert.True(popped.Count == Math.Min(count, set.Count) && popped.All(set.Remove), $"seed {seed} (DST_MODEL_SEED={seed}), step {step}: SPOP returned {string.Join(' ', popped)}");
                    expected = "";
                    break;
                case 7:
                    var sample = random.Next(-4, 5);
                    command = ["SRANDMEMBER", key, sample.ToString()];
                    var drawn = SetCommandsTests.Members(db.Run(command));
                    var expectedCount = sample < 0 ? (set.Count == 0 ? 0 : -sample) : Math.Min(sample, set.Count);
                    Assert.True(drawn.Count == expectedCount && drawn.All(set.Contains) && (sample < 0 || drawn.Distinct().Count() == drawn.Count),
                        $"seed {seed} (DST_MODEL_SEED={seed}), step {step}: SRANDMEMBER {sample} returned {string.Join(' ', drawn)}");
                    expected = "";
                    break;
                case 8:
                    var destination = Keys[random.Next(Keys.Length)];
                    var (name, result) = random.Next(3) switch
                    {
                        0 => ("SINTERSTORE", set.Intersect(model[other])),
                        1 => ("SUNIONSTORE", set.Union(model[other])),
                        _ => ("SDIFFSTORE", set.Except(model[other])),
                    };
                    var stored = result.ToHashSet();
                    command = [name, destination, key, other];
                    expected = Int(stored.Count);
                    model[destination] = stored;
                    break;
                case 9:
                    command = ["SINTERCARD", "2", key, other];
                    expected = Int(set.Intersect(model[other]).Count());
                    break;
                default:
                    command = ["DEL", key];
                    expected = Int(set.Count > 0 ? 1 : 0);
                    set.Clear();
                    break;
            }
            var context = $"seed {seed} (DST_MODEL_SEED={seed}), step {step}: {string.Join(' ', command)}";
            if (expected.Length > 0)
            {
                var actual = db.Run(command);
                Assert.True(expected == actual, $"{context}: expected {expected.TrimEnd()} got {actual.TrimEnd()}");
            }
            foreach (var name in Keys)
            {
                var members = SetCommandsTests.Members(db.Run("SMEMBERS", name)).Order(StringComparer.Ordinal);
                Assert.True(model[name].Order(StringComparer.Ordinal).SequenceEqual(members), $"{context}: {name} differs from the model");
            }
        }
    }
}
