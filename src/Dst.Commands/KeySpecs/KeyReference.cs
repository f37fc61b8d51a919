namespace Dst.Commands.KeySpecs;

/// <summary>
/// One key of a call: its argument index (the command name is 0) and which of the spec's
/// <see cref="CommandSpec.KeyFlags"/> sets describes it, or -1 when none does (Redis's fallback
/// key finders report no flags either).
/// </summary>
public readonly record struct KeyReference(int Position, int FlagsIndex);
