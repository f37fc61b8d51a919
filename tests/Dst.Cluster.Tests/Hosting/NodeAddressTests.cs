using Dst.Cluster.Hosting;

namespace Dst.Cluster.Tests.Hosting;

public sealed class NodeAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:7000", "127.0.0.1", 7000, 17000)]
    [InlineData("10.0.0.5:7000@7100", "10.0.0.5", 7000, 7100)]
    [InlineData("[::1]:6380", "::1", 6380, 16380)]
    [InlineData("127.0.0.1:60000@0", "127.0.0.1", 60000, 0)]
    public void Addresses_parse_as_Redis_Cluster_writes_them(string text, string host, int port, int clusterPort)
    {
        Assert.True(NodeAddress.TryParse(text, out var address, out var error), error);
        Assert.Equal(new NodeAddress(host, port, clusterPort), address);
        Assert.Equal(address, NodeAddress.Decode(address.Encode()));
    }

    [Theory]
    [InlineData("127.0.0.1", "is not host:port")]
    [InlineData("127.0.0.1:0", "is not host:port")]
    [InlineData("127.0.0.1:7000@x", "invalid cluster port")]
    [InlineData("127.0.0.1:60000", "past 65535")]
    public void Bad_addresses_are_refused_with_the_reason(string text, string reason)
    {
        Assert.False(NodeAddress.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }
}
