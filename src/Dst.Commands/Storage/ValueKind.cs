namespace Dst.Commands.Storage;

/// <summary>The type of a stored value, as TYPE names it. The numbers are part of the snapshot format.</summary>
public enum ValueKind : byte
{
    None = 0,
    String = 1,
    List = 2,
    Hash = 3,
    Set = 4,
    SortedSet = 5,
}

public static class ValueKindNames
{
    /// <summary>The TYPE reply for a kind.</summary>
    public static string Of(ValueKind kind) => kind switch
    {
        ValueKind.String => "string",
        ValueKind.List => "list",
        ValueKind.Hash => "hash",
        ValueKind.Set => "set",
        ValueKind.SortedSet => "zset",
        _ => "none",
    };

    /// <summary>The kind a SCAN TYPE argument names, or <see cref="ValueKind.None"/> for an unknown name.</summary>
    public static ValueKind Parse(ReadOnlySpan<byte> name)
    {
        foreach (var kind in (ReadOnlySpan<ValueKind>)[ValueKind.String, ValueKind.List, ValueKind.Hash, ValueKind.Set, ValueKind.SortedSet])
        {
            if (System.Text.Ascii.EqualsIgnoreCase(name, Of(kind)))
            {
                return kind;
            }
        }
        return ValueKind.None;
    }
}
