using System.Buffers;
using Dst.Protocol.Tests.Support;
using static Dst.Protocol.Tests.Support.ParsedRequests;

namespace Dst.Protocol.Tests;

/// <summary>Random requests serialized as RESP, cut at random places, must parse back exactly.</summary>
public class RandomRoundTripTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(20240601)]
    public void Random_pipelines_round_trip_through_random_splits(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 200; round++)
        {
            var requests = Enumerable.Range(0, random.Next(1, 12)).Select(_ => RandomRequest(random)).ToList();
            var wire = requests.SelectMany(r => Multibulk(r)).ToArray();

            var outcome = ParseAll(Segments.RandomSplit(wire, random, maxPieces: 8));

            var context = $"seed {seed}, round {round}";
            Assert.True(outcome.Final == ParseStatus.Incomplete, context);
            Assert.True(outcome.Consumed == wire.Length, context);
            Assert.True(requests.Count == outcome.Requests.Count, context);
            for (var i = 0; i < requests.Count; i++)
            {
                Assert.True(requests[i].Length == outcome.Requests[i].Length, context);
                for (var a = 0; a < requests[i].Length; a++)
                {
                    Assert.True(requests[i][a].AsSpan().SequenceEqual(outcome.Requests[i][a]), $"{context}, request {i}, argument {a}");
                }
            }
        }
    }

    private static byte[][] RandomRequest(Random random)
    {
        var args = new byte[random.Next(1, 8)][];
        for (var i = 0; i < args.Length; i++)
        {
            // Mostly short, sometimes empty, occasionally large: exercise every path.
            var length = random.Next(10) switch
            {
                0 => 0,
                1 => random.Next(1_000, 70_000),
                _ => random.Next(1, 40),
            };
            args[i] = new byte[length];
            random.NextBytes(args[i]);
        }
        return args;
    }
}
