using Dst.Cluster.Hosting;

namespace Dst.Cluster.Tests.Hosting;

public sealed class AddressBookTests
{
    [Theory]
    [InlineData("127.0.0.1:7000", "127.0.0.1", 7000, 17000)]
    [InlineData("10.0.0.5:6380@16000", "10.0.0.5", 6380, 16000)]
    [InlineData("[::1]:7000@17001", "::1", 7000, 17001)]
    [InlineData("node-a.example:7000", "node-a.example", 7000, 17000)]
    public void Addresses_parse_as_redis_cluster_writes_them(string text, string host, int port, int clusterPort)
    {
        Assert.True(NodeAddress.TryParse(text, out var address, out var error), error);
        Assert.Equal(new NodeAddress(host, port, clusterPort), address);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("127.0.0.1:7000@x")]
    [InlineData(":7000")]
    [InlineData("127.0.0.1:60000")] // no room for the default cluster port
    public void Bad_addresses_are_refused_with_a_reason(string text)
    {
        Assert.False(NodeAddress.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void The_book_round_trips_through_a_snapshot_envelope()
    {
        var book = new AddressBook();
        book.Set(3, new NodeAddress("127.0.0.1", 7002, 17002));
        book.Set(1, new NodeAddress("127.0.0.1", 7000, 17000));
        byte[] image = [1, 2, 3, 4, 5];
        var data = SnapshotEnvelope.Wrap(book, image);

        var restored = new AddressBook();
        var added = new List<ulong>();
        restored.Added += (id, _) => added.Add(id);
        var unwrapped = SnapshotEnvelope.Unwrap(data, restored).ToArray();

        Assert.Equal(image, unwrapped);
        Assert.Equal(book.All.OrderBy(p => p.Key), restored.All.OrderBy(p => p.Key));
        Assert.Equal([1UL, 3UL], added.Order());
    }

    [Fact]
    public void A_truncated_envelope_is_an_error_not_a_partial_book()
    {
        var book = new AddressBook();
        book.Set(1, new NodeAddress("127.0.0.1", 7000, 17000));
        var data = SnapshotEnvelope.Wrap(book, [9]);
        Assert.Throws<FormatException>(() => SnapshotEnvelope.Unwrap(data.AsSpan(0, 10), new AddressBook()));
    }

    [Fact]
    public void A_founding_snapshot_without_data_has_an_empty_image()
    {
        var book = new AddressBook();
        Assert.True(SnapshotEnvelope.Unwrap([], book).IsEmpty);
        Assert.Empty(book.All);
    }
}
