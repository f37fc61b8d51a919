namespace Dst.Commands.Sets;

/// <summary>
/// SplitMix64: a small, fast generator whose whole state is one seed, so a command can draw from
/// <see cref="CommandContext.RandomSeed"/> without allocating, and every replica draws the same numbers.
/// </summary>
internal struct SeededRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>A number in [0, <paramref name="maxExclusive"/>), by Lemire's multiply-shift (no modulo bias worth the name at these sizes).</summary>
    public int Next(int maxExclusive) => (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);
}
