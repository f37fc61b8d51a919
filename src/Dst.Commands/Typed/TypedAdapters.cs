using System.Buffers;
using Dst.Protocol;

namespace Dst.Commands.Typed;

/// <summary>
/// How a typed command runs a Redis handler: as is, with its arguments rewritten (list.get k is
/// LRANGE k 0 -1), or with its success reply replaced by the bulk string "ok" (str.put, dict.put).
/// The handlers are the Redis ones, so both spellings share one engine and one set of errors.
/// </summary>
internal static class TypedAdapters
{
    /// <summary>Typed writes reply "ok" as a bulk string, so dst-cli prints <c>"ok"</c> as the seed shows.</summary>
    public static ReadOnlySpan<byte> OkText => "ok"u8;

    // Handlers run one at a time per state machine (under its lock), but several state machines may
    // live in one process (tests), so the scratch space is per thread.
    [ThreadStatic]
    private static Scratch? t_scratch;

    private static Scratch Current => t_scratch ??= new Scratch();

    /// <summary>Runs <paramref name="handler"/>; an error reply passes through, any other reply becomes "ok".</summary>
    public static void ReplyOk(CommandContext context, CommandArgs args, CommandHandler handler)
    {
        var scratch = Current;
        var reply = context.Reply;
        scratch.Captured.ResetWrittenCount();
        scratch.Writer.Version = reply.Version;
        context.Begin(context.NowMs, context.IsApplying, scratch.Writer, context.IsReplay);
        try
        {
            handler(context, args);
        }
        finally
        {
            context.Begin(context.NowMs, context.IsApplying, reply, context.IsReplay);
        }
        var captured = scratch.Captured.WrittenSpan;
        if (captured.Length > 0 && captured[0] == (byte)'-')
        {
            reply.WriteRaw(captured);
        }
        else
        {
            reply.WriteBulkString(OkText);
        }
    }

    /// <summary>
    /// Runs <paramref name="handler"/> on <c>name key extra...</c>: the typed command's key followed by
    /// fixed arguments (list.get k runs LRANGE k 0 -1). Allocates nothing once the scratch has grown.
    /// </summary>
    public static void RunWith(CommandContext context, CommandArgs args, CommandHandler handler, ReadOnlySpan<byte> name, ReadOnlySpan<byte> extra1, ReadOnlySpan<byte> extra2)
    {
        var rewritten = Current.Args;
        rewritten.Clear();
        rewritten.Add(name);
        rewritten.Add(args[1]);
        rewritten.Add(extra1);
        rewritten.Add(extra2);
        handler(context, rewritten);
    }

    private sealed class Scratch
    {
        public Scratch() => Writer = new RespWriter(Captured);

        public ArrayBufferWriter<byte> Captured { get; } = new(64);

        public RespWriter Writer { get; }

        public CommandArgs Args { get; } = new();
    }
}
