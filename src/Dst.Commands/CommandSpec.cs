using Dst.Commands.Docs;
using Dst.Commands.KeySpecs;
using Dst.Protocol;

namespace Dst.Commands;

/// <summary>
/// Runs one command against the keyspace. The same handler serves the read path (reader's clock,
/// nothing mutated) and the apply path (entry timestamp, expired keys deleted).
/// </summary>
public delegate void CommandHandler(CommandContext context, CommandArgs args);

/// <summary>
/// One row of the declarative command table, in the spirit of Redis's <c>commands.def</c>.
/// <see cref="Arity"/> counts the command name; a negative arity -N means "at least N".
/// Key positions follow Redis: <see cref="FirstKey"/> 0 means no keys, <see cref="LastKey"/> -1 means the last argument.
/// </summary>
public sealed record CommandSpec(
    string Name,
    int Arity,
    CommandFlags Flags,
    int FirstKey,
    int LastKey,
    int KeyStep,
    string Group,
    string Summary,
    string Since,
    CommandHandler? Handler,
    string Complexity = "")
{
    public bool IsWrite => (Flags & CommandFlags.Write) != 0;

    public bool IsReadOnly => (Flags & CommandFlags.ReadOnly) != 0;

    /// <summary>True when the connection/server layer answers the command instead of the keyspace.</summary>
    public bool IsServer => (Flags & CommandFlags.Server) != 0;

    public bool HasKeys => FirstKey > 0;

    /// <summary>Where the last key of <paramref name="args"/> sits by first/last/step (a negative <see cref="LastKey"/> counts from the end).</summary>
    public int LastKeyPosition(CommandArgs args) => LastKey < 0 ? args.Count + LastKey : LastKey;

    /// <summary>
    /// Finds the keys when first/last/step cannot: the commands flagged <see cref="CommandFlags.MovableKeys"/>,
    /// and SET, whose key flags depend on GET. Null: first/last/step are the whole story.
    /// </summary>
    public KeyFinder? FindKeys { get; init; }

    /// <summary>
    /// For a write whose repeats are common and change nothing (SADD of members already there, ZADD of
    /// the scores the members have): a pure check that applying it to the current state would change
    /// nothing. The leader then answers it like a read, with no log entry, as Redis leaves such writes
    /// out of its AOF and signals none of their keys. True only when certain: a wrong true would let a
    /// WATCH miss a change.
    /// </summary>
    public Func<CommandContext, CommandArgs, bool>? WouldChangeNothing { get; init; }

    /// <summary>
    /// Redis 7's key-spec flags, one set per key spec separated by ';' (<c>"RW access delete; RW insert"</c>),
    /// for COMMAND GETKEYSANDFLAGS and for telling read keys from written ones.
    /// </summary>
    public string KeyFlags
    {
        get;
        init
        {
            field = value;
            KeyFlagSets = KeyFlagText.Parse(value);
            HasReadOnlyKeys = KeyFlagSets.Any(KeyFlagText.IsReadOnly);
        }
    } = "";

    /// <summary>Some keys are only read (SINTERSTORE's sources, COPY's source): WATCH bookkeeping skips them.</summary>
    public bool HasReadOnlyKeys { get; private init; }

    /// <summary>The parsed <see cref="KeyFlags"/>.</summary>
    public IReadOnlyList<string[]> KeyFlagSets { get; private init; } = [];

    /// <summary>
    /// The arguments, declared as a typed usage line (<see cref="CommandSyntax"/>: <c>key:key value:string [get:GET]</c>),
    /// for COMMAND DOCS and so for the help of redis-cli and dst-cli. The Redis commands use Redis 7's names and types.
    /// </summary>
    public string Syntax
    {
        get;
        init
        {
            field = value;
            Arguments = CommandSyntax.Parse(value);
        }
    } = "";

    /// <summary>The parsed <see cref="Syntax"/>.</summary>
    public IReadOnlyList<CommandArgument> Arguments { get; private init; } = [];

    /// <summary>True when the command names keys: by first/last/step or through <see cref="FindKeys"/>.</summary>
    public bool NamesKeys => HasKeys || FindKeys is not null;
}
