using System.Buffers;

namespace Dst.Protocol.Tests.Support;

internal static class ReadReplies
{
    /// <summary>Reads replies until Incomplete or Error; returns them re-encoded (a canonical form to compare).</summary>
    public static (List<RespValue> Values, ParseStatus Final, string? Error, long Consumed) ReadAll(ReadOnlySequence<byte> buffer, RespReader? reader = null)
    {
        reader ??= new RespReader();
        var sequence = new SequenceReader<byte>(buffer);
        var values = new List<RespValue>();
        while (true)
        {
            var before = sequence.Consumed;
            var status = reader.TryRead(ref sequence, out var value, out var error);
            if (status != ParseStatus.Complete)
            {
                if (status == ParseStatus.Incomplete)
                {
                    Assert.Equal(before, sequence.Consumed);
                }
                return (values, status, error, sequence.Consumed);
            }
            Assert.True(sequence.Consumed > before);
            values.Add(value!);
        }
    }

    public static string Canonical(IEnumerable<RespValue> values) =>
        string.Join("|", values.Select(v => Convert.ToHexString(RespValueEncoder.ToArray(v))));
}
