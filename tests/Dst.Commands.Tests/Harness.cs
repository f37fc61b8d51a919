using System.Buffers;
using System.Text;
using Dst.Commands.Entries;
using Dst.Protocol;

namespace Dst.Commands.Tests;

/// <summary>
/// Drives a state machine the way the server does: reads through ExecuteRead with the reader's
/// clock, writes encoded as entries with a chosen timestamp and applied in order. Replies come back
/// as raw RESP text so tests assert the exact bytes a client would see.
/// </summary>
internal sealed class Harness
{
    public const long Epoch = 1_700_000_000_000;

    private readonly ArrayBufferWriter<byte> _payload = new();
    private readonly ArrayBufferWriter<byte> _output = new();
    private readonly RespWriter _reply;

    public Harness(StateMachineOptions? options = null, RespVersion version = RespVersion.Resp2)
    {
        Machine = new StateMachine(CommandTable.Default, options ?? StateMachineOptions.Default);
        _reply = new RespWriter(_output, version);
    }

    public StateMachine Machine { get; }

    /// <summary>The clock: the timestamp the next write entry carries and the reader's clock for reads.</summary>
    public long Now { get; set; } = Epoch;

    public ulong NextIndex => Machine.AppliedIndex + 1;

    /// <summary>Runs a command as the server would: table lookup and arity, then read or write path.</summary>
    public string Run(params string[] words)
    {
        using var args = Args(words);
        _output.ResetWrittenCount();
        var spec = Machine.Table.Lookup(args[0]);
        if (spec is null)
        {
            CommandErrors.WriteUnknownCommand(_reply, args);
        }
        else if (!CommandArity.Check(spec, args))
        {
            CommandErrors.WriteWrongArity(_reply, spec);
        }
        else if (spec.Name == "command")
        {
            CommandReplies.Write(Machine.Table, args, _reply);
        }
        else if (spec.IsReadOnly)
        {
            Machine.ExecuteRead(spec, args, Now, _reply);
        }
        else
        {
            return Apply(args);
        }
        return Encoding.UTF8.GetString(_output.WrittenSpan);
    }

    /// <summary>
    /// Runs a write the way the server answers one whose keys are all missing (no log entry): the
    /// reply, or null when a key exists and the write must go through the log.
    /// </summary>
    public string? RunUnchanged(params string[] words)
    {
        using var args = Args(words);
        _output.ResetWrittenCount();
        var spec = Machine.Table.Lookup(args[0]) ?? throw new ArgumentException($"unknown command {words[0]}");
        return Machine.TryExecuteUnchanged(spec, args, Now, _reply) ? Encoding.UTF8.GetString(_output.WrittenSpan) : null;
    }

    /// <summary>Encodes a write entry with <see cref="Now"/> and applies it with a reply writer.</summary>
    public string Apply(CommandArgs args)
    {
        _payload.ResetWrittenCount();
        StateMachine.EncodeCommand(args, Now, _payload);
        _output.ResetWrittenCount();
        Machine.Apply(NextIndex, _payload.WrittenSpan, _reply);
        return Encoding.UTF8.GetString(_output.WrittenSpan);
    }

    public string ApplyPayload(ReadOnlySpan<byte> payload)
    {
        _output.ResetWrittenCount();
        Machine.Apply(NextIndex, payload, _reply);
        return Encoding.UTF8.GetString(_output.WrittenSpan);
    }

    public static CommandArgs Args(params string[] words)
    {
        var args = new CommandArgs();
        foreach (var word in words)
        {
            args.Add(Encoding.UTF8.GetBytes(word));
        }
        return args;
    }

    public static byte[] EncodeCommand(long timestamp, params string[] words)
    {
        using var args = Args(words);
        var payload = new ArrayBufferWriter<byte>();
        WriteEntryWriter.EncodeCommand(args, timestamp, payload);
        return payload.WrittenSpan.ToArray();
    }

    public byte[] Snapshot()
    {
        using var stream = new MemoryStream();
        Machine.WriteSnapshot(stream);
        return stream.ToArray();
    }
}

/// <summary>Expected RESP2 replies, spelled out.</summary>
internal static class Resp
{
    public const string Ok = "+OK\r\n";
    public const string Nil = "$-1\r\n";
    public const string NilArray = "*-1\r\n";
    public const string Empty = "$0\r\n\r\n";

    public static string Bulk(string value) => $"${Encoding.UTF8.GetByteCount(value)}\r\n{value}\r\n";

    public static string Int(long value) => $":{value}\r\n";

    public static string Err(string message) => $"-{message}\r\n";

    public static string Status(string value) => $"+{value}\r\n";

    public static string Array(params string[] items) => $"*{items.Length}\r\n{string.Concat(items)}";

    public static string Bulks(params string[] values) => Array([.. values.Select(Bulk)]);

    public const string WrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
    public const string NotInteger = "-ERR value is not an integer or out of range\r\n";
    public const string Syntax = "-ERR syntax error\r\n";
}
