namespace Dst.Testing.Linearizability;

public enum KvOperationKind
{
    Put,
    Get,
}

/// <summary>A put of <see cref="Value"/> or a get of <see cref="Key"/>.</summary>
public readonly record struct KvInput(KvOperationKind Kind, string Key, ulong Value = 0);

/// <summary>
/// A key-value store as one register per key (0 = absent). Gets return the value; puts return
/// nothing. Reusable by any test that records such a history.
/// </summary>
public sealed class KvModel : IModel<ulong, KvInput, ulong>
{
    public ulong Initial => 0;

    public string Partition(KvInput input) => input.Key;

    public bool Step(ulong state, KvInput input, ulong output, bool outcomeKnown, out ulong next)
    {
        if (input.Kind == KvOperationKind.Put)
        {
            next = input.Value;
            return true;
        }
        next = state;
        return !outcomeKnown || output == state;
    }
}
