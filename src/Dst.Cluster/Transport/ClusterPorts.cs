namespace Dst.Cluster.Transport;

/// <summary>Where nodes listen for each other by default, as Redis Cluster does: the client port + 10000.</summary>
public static class ClusterPorts
{
    public const int Offset = 10000;

    public static int DefaultFor(int clientPort)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clientPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(clientPort, IPEndPointMaxPort - Offset);
        return clientPort + Offset;
    }

    private const int IPEndPointMaxPort = 65535;
}
