using System.Text;
using Dst.Cluster.Slots;

namespace Dst.Cluster.Tests.Slots;

public sealed class HashSlotTests
{
    [Theory]
    // Values from redis-cli CLUSTER KEYSLOT against Redis 7 and the Redis Cluster specification.
    [InlineData("foo", 12182)]
    [InlineData("bar", 5061)]
    [InlineData("123456789", 12739)] // CRC16/XMODEM check value 0x31C3 modulo 16384
    [InlineData("{user1000}.following", 3443)]
    [InlineData("{user1000}.followers", 3443)]
    [InlineData("user1000", 3443)]
    [InlineData("foo{}{bar}", 8363)] // empty first tag: the whole key is hashed
    [InlineData("foo{{bar}}zap", 4015)] // tag is "{bar"
    [InlineData("", 0)]
    public void Slots_match_redis_cluster(string key, int slot) =>
        Assert.Equal(slot, HashSlot.Of(Encoding.UTF8.GetBytes(key)));
}
