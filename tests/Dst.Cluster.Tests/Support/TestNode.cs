using System.Net;
using System.Text;
using Dst.Cluster.Transport;

namespace Dst.Cluster.Tests.Support;

/// <summary>A started transport on 127.0.0.1 (port from the OS unless given) and the handler recording its deliveries.</summary>
internal sealed class TestNode : IAsyncDisposable
{
    public static readonly byte[] Secret = Encoding.UTF8.GetBytes("correct horse battery staple 42!");

    private TestNode(NodeTransport transport, RecordingHandler handler, ListLogger log)
    {
        Transport = transport;
        Handler = handler;
        Log = log;
    }

    public NodeTransport Transport { get; }
    public RecordingHandler Handler { get; }
    public ListLogger Log { get; }
    public ulong Id => Transport.NodeId;
    public IPEndPoint EndPoint => Transport.LocalEndPoint!;

    public static async Task<TestNode> StartAsync(
        ulong id, byte[]? secret = null, int port = 0, Func<NodeTransportOptions, NodeTransportOptions>? configure = null)
    {
        var options = new NodeTransportOptions
        {
            NodeId = id,
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, port),
            ClusterSecret = secret ?? Secret,
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(5),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(100),
        };
        var handler = new RecordingHandler();
        var log = new ListLogger();
        var transport = new NodeTransport(configure?.Invoke(options) ?? options, handler, log);
        await transport.StartAsync();
        return new TestNode(transport, handler, log);
    }

    /// <summary>Makes every node a peer of every other and waits until all links are up.</summary>
    public static async Task ConnectAllAsync(params TestNode[] nodes)
    {
        foreach (var node in nodes)
        {
            foreach (var other in nodes.Where(other => other != node))
            {
                node.Transport.AddPeer(other.Id, other.EndPoint);
            }
        }
        foreach (var node in nodes)
        {
            foreach (var other in nodes.Where(other => other != node))
            {
                await Eventually.TrueAsync(() => node.Transport.IsPeerConnected(other.Id), $"node {node.Id} connected to node {other.Id}");
            }
        }
    }

    public ValueTask DisposeAsync() => Transport.DisposeAsync();
}
