using System.Text;

namespace Dst.Storage.Tests;

public class Crc32CTests
{
    [Fact]
    public void Matches_the_standard_check_value()
    {
        // The CRC-32C catalogue check value for "123456789" (RFC 3720 appendix B.4 uses the same polynomial).
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0u, Crc32C.Compute([]));
    }

    [Fact]
    public void Incremental_updates_equal_one_pass_at_every_split()
    {
        var data = new byte[100];
        new Random(7).NextBytes(data);
        var whole = Crc32C.Compute(data);
        for (var split = 0; split <= data.Length; split++)
        {
            var state = Crc32C.Update(Crc32C.Initial, data.AsSpan(0, split));
            Assert.Equal(whole, Crc32C.Finish(Crc32C.Update(state, data.AsSpan(split))));
        }
    }
}
