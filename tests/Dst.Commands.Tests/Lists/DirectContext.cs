using System.Buffers;
using System.Text;
using Dst.Protocol;

namespace Dst.Commands.Tests.Lists;

/// <summary>
/// Runs handlers on a context the test holds, on the apply path, so what a handler reports beside
/// its reply (<see cref="CommandContext.BlockedOnKeys"/>) can be observed. Arity is checked as the table does.
/// </summary>
internal sealed class DirectContext
{
    private readonly ArrayBufferWriter<byte> _output = new();
    private readonly RespWriter _reply;

    public DirectContext()
    {
        _reply = new RespWriter(_output);
        Context = new CommandContext(new Keyspace(), StateMachineOptions.Default, _reply);
    }

    public CommandContext Context { get; }

    public string Run(params string[] words)
    {
        using var args = Harness.Args(words);
        var spec = CommandTable.Default.Lookup(args[0]) ?? throw new ArgumentException($"unknown command {words[0]}");
        Assert.True(CommandArity.Check(spec, args), $"arity of {words[0]}");
        _output.ResetWrittenCount();
        Context.Begin(Harness.Epoch, applying: true, _reply, replay: false);
        spec.Handler!(Context, args);
        return Encoding.UTF8.GetString(_output.WrittenSpan);
    }
}
