using Dst.Protocol;

namespace Dst.Commands.KeySpecs;

/// <summary>
/// Finds the keys of one call when first/last/step cannot (the keys follow a count, as in LMPOP or
/// ZUNIONSTORE), like Redis's key specs with their getkeys_proc fallback. Adds the keys in Redis's
/// order to <paramref name="keys"/>; returns false when the arguments name no keys (Redis answers
/// COMMAND GETKEYS with "Invalid arguments specified for command" then, and the command itself fails).
/// </summary>
public delegate bool KeyFinder(CommandArgs args, List<KeyReference> keys);
