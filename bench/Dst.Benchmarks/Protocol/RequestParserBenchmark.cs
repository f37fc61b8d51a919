using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Dst.Protocol;

namespace Dst.Benchmarks.Protocol;

/// <summary>
/// Parses the pipeline redis-benchmark sends with -P 16: 16 SETs of a 16-byte value and 16 GETs,
/// as one receive buffer. Divide the mean by <see cref="CommandsPerPipeline"/> for ns/command;
/// the allocation column must read 0. Min is shown because this shared machine is noisy.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class RequestParserBenchmark
{
    public const int CommandsPerPipeline = 32;

    private readonly RequestParser _parser = new(ProtocolLimits.Default);
    private readonly CommandArgs _args = new();
    private ReadOnlySequence<byte> _pipeline;
    private ReadOnlySequence<byte> _inlinePipeline;

    [GlobalSetup]
    public void Setup()
    {
        var multibulk = new StringBuilder();
        var inline = new StringBuilder();
        for (var i = 0; i < CommandsPerPipeline / 2; i++)
        {
            multibulk.Append($"*3\r\n$3\r\nSET\r\n$10\r\nkey:{i:000000}\r\n$16\r\n0123456789abcdef\r\n");
            inline.Append($"SET key:{i:000000} 0123456789abcdef\r\n");
        }
        for (var i = 0; i < CommandsPerPipeline / 2; i++)
        {
            multibulk.Append($"*2\r\n$3\r\nGET\r\n$10\r\nkey:{i:000000}\r\n");
            inline.Append($"GET key:{i:000000}\r\n");
        }
        _pipeline = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(multibulk.ToString()));
        _inlinePipeline = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(inline.ToString()));
    }

    [Benchmark(OperationsPerInvoke = CommandsPerPipeline)]
    public int Multibulk() => ParseAll(_pipeline);

    [Benchmark(OperationsPerInvoke = CommandsPerPipeline)]
    public int Inline() => ParseAll(_inlinePipeline);

    private int ParseAll(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        var bytes = 0;
        while (_parser.TryParse(ref reader, _args, authenticated: true, out _) == ParseStatus.Complete)
        {
            bytes += _args.ByteCount;
        }
        return bytes;
    }
}
