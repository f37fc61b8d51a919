namespace Dst.Testing.Network;

public enum LinkMode
{
    /// <summary>Bytes flow both ways as they arrive.</summary>
    Pass,

    /// <summary>
    /// A blackhole: existing connections are cut; new ones are accepted, but what they send is read
    /// and discarded and nothing ever comes back, as a peer behind a partition looks to the dialler.
    /// </summary>
    Drop,

    /// <summary>Bytes flow, each chunk held back by the configured delay (order kept).</summary>
    Delay,
}
