using BenchmarkDotNet.Attributes;
using Dst.Cluster.Transport;
using Dst.Raft;

namespace Dst.Benchmarks.Cluster;

/// <summary>Encode and decode of a typical replication message: an App with 64 entries of 100 bytes.</summary>
[MemoryDiagnoser]
public class RaftMessageCodecBenchmarks
{
    private Message _message;
    private byte[] _encoded = [];
    private byte[] _destination = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var entries = new Entry[64];
        for (var i = 0; i < entries.Length; i++)
        {
            var data = new byte[100];
            random.NextBytes(data);
            entries[i] = new Entry(7, 100_000 + (ulong)i, EntryType.Normal, data);
        }
        _message = new Message
        {
            Type = MessageType.App,
            From = 1,
            To = 2,
            Term = 7,
            LogTerm = 7,
            Index = 99_999,
            Commit = 99_990,
            Entries = entries,
        };
        _encoded = new byte[RaftMessageCodec.GetEncodedLength(_message)];
        RaftMessageCodec.Encode(_message, _encoded);
        _destination = new byte[_encoded.Length];
    }

    [Benchmark]
    public int Encode() => RaftMessageCodec.Encode(_message, _destination.AsSpan(0, RaftMessageCodec.GetEncodedLength(_message)));

    [Benchmark]
    public Message Decode() => RaftMessageCodec.Decode(_encoded, CodecLimits.Default);
}
