using Dst.Commands.Hashes;
using Dst.Commands.Keys;
using Dst.Commands.Lists;
using Dst.Commands.Sets;
using Dst.Commands.SortedSets;
using Dst.Commands.Strings;
using Dst.Protocol;
using static Dst.Commands.CommandFlags;

namespace Dst.Commands.Typed;

/// <summary>
/// Dst's typed command language (seed 000): a type word, a dot, an operation (<c>str.put k v</c>,
/// <c>dict.get d k</c>). Every typed command is an alias onto a Redis command's handler, so a key
/// written with <c>str.put</c> is read by GET and errors (WRONGTYPE, not an integer, ...) are Redis's.
/// Each has its own row in the table: arity, flags and key positions, and so its own arity error
/// (<c>ERR wrong number of arguments for 'str.put' command</c>). docs/commands.md documents them.
/// </summary>
public static class TypedCommands
{
    private const string Group = "dst";
    private const string Since = "1.0.0";

    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        new("str.put", 3, Write | DenyOom, 1, 1, 1, Group, "Sets a string value (SET key value); replies \"ok\".", Since, (c, a) => TypedAdapters.ReplyOk(c, a, Redis(StringCommands.Specs, "set")), "O(1)") { KeyFlags = "OW update", Syntax = "key:key value:string" },
        new("str.get", 2, ReadOnly | Fast, 1, 1, 1, Group, "Returns a string value (GET).", Since, Redis(StringCommands.Specs, "get"), "O(1)") { KeyFlags = "RO access", Syntax = "key:key" },
        new("str.del", -2, Write | NoOpWithoutKeys, 1, -1, 1, Group, "Deletes keys (DEL); replies how many existed.", Since, Redis(KeyCommands.Specs, "del"), "O(N) where N is the number of keys.") { KeyFlags = "RM delete", Syntax = "key:key..." },
        new("dict.put", -4, Write | DenyOom | Fast, 1, 1, 1, Group, "Sets fields of a dictionary (HSET key field value ...); replies \"ok\".", Since, DictPut, "O(N) where N is the number of fields set.") { KeyFlags = "RW update", Syntax = "key:key data(field:string value:string)..." },
        new("dict.get", -2, ReadOnly | Fast, 1, 1, 1, Group, "Returns the whole dictionary as a map (HGETALL), or one field's value (HGET) when a field is given.", Since, DictGet, "O(1) for one field, O(N) for the whole dictionary.") { KeyFlags = "RO access", Syntax = "key:key [field:string]" },
        new("dict.del", -3, Write | Fast | NoOpWithoutKeys, 1, 1, 1, Group, "Deletes fields of a dictionary (HDEL); replies how many existed.", Since, Redis(HashCommands.Specs, "hdel"), "O(N) where N is the number of fields.") { KeyFlags = "RW delete", Syntax = "key:key field:string..." },
        new("dict.keys", 2, ReadOnly, 1, 1, 1, Group, "Returns the fields of a dictionary (HKEYS).", Since, Redis(HashCommands.Specs, "hkeys"), "O(N) where N is the size of the dictionary.") { KeyFlags = "RO access", Syntax = "key:key" },
        new("dict.len", 2, ReadOnly | Fast, 1, 1, 1, Group, "Returns the number of fields of a dictionary (HLEN).", Since, Redis(HashCommands.Specs, "hlen"), "O(1)") { KeyFlags = "RO", Syntax = "key:key" },
        new("dict.has", 3, ReadOnly | Fast, 1, 1, 1, Group, "Replies 1 when the dictionary has the field, else 0 (HEXISTS).", Since, Redis(HashCommands.Specs, "hexists"), "O(1)") { KeyFlags = "RO", Syntax = "key:key field:string" },
        new("list.push", -3, Write | DenyOom | Fast, 1, 1, 1, Group, "Appends elements to the end of a list (RPUSH); replies the new length.", Since, Redis(ListCommands.Specs, "rpush"), "O(N) where N is the number of elements.") { KeyFlags = "RW insert", Syntax = "key:key element:string..." },
        new("list.pop", 2, Write | Fast | NoOpWithoutKeys, 1, 1, 1, Group, "Removes and returns the last element of a list (RPOP).", Since, Redis(ListCommands.Specs, "rpop"), "O(1)") { KeyFlags = "RW access delete", Syntax = "key:key" },
        new("list.get", -2, ReadOnly, 1, 1, 1, Group, "Returns the whole list (LRANGE key 0 -1), or the element at an index (LINDEX) when one is given.", Since, ListGet, "O(N) for the whole list, O(N) to reach an index.") { KeyFlags = "RO access", Syntax = "key:key [index:integer]" },
        new("list.range", 4, ReadOnly, 1, 1, 1, Group, "Returns the elements from start to stop, inclusive, negative from the end (LRANGE).", Since, Redis(ListCommands.Specs, "lrange"), "O(S+N) where S is the start offset and N the number of elements.") { KeyFlags = "RO access", Syntax = "key:key start:integer stop:integer" },
        new("list.len", 2, ReadOnly | Fast, 1, 1, 1, Group, "Returns the length of a list (LLEN).", Since, Redis(ListCommands.Specs, "llen"), "O(1)") { KeyFlags = "RO", Syntax = "key:key" },
        new("set.add", -3, Write | DenyOom | Fast, 1, 1, 1, Group, "Adds members to a set (SADD); replies how many were new.", Since, Redis(SetCommands.Specs, "sadd"), "O(1) for each member added.") { WouldChangeNothing = SetCommands.SAddChangesNothing, KeyFlags = "RW insert", Syntax = "key:key member:string..." },
        new("set.del", -3, Write | Fast | NoOpWithoutKeys, 1, 1, 1, Group, "Removes members from a set (SREM); replies how many existed.", Since, Redis(SetCommands.Specs, "srem"), "O(N) where N is the number of members removed.") { KeyFlags = "RW delete", Syntax = "key:key member:string..." },
        new("set.members", 2, ReadOnly, 1, 1, 1, Group, "Returns every member of a set (SMEMBERS).", Since, Redis(SetCommands.Specs, "smembers"), "O(N) where N is the set cardinality.") { KeyFlags = "RO access", Syntax = "key:key" },
        new("set.has", 3, ReadOnly | Fast, 1, 1, 1, Group, "Replies 1 when the member is in the set, else 0 (SISMEMBER).", Since, Redis(SetCommands.Specs, "sismember"), "O(1)") { KeyFlags = "RO", Syntax = "key:key member:string" },
        new("set.len", 2, ReadOnly | Fast, 1, 1, 1, Group, "Returns the number of members of a set (SCARD).", Since, Redis(SetCommands.Specs, "scard"), "O(1)") { KeyFlags = "RO", Syntax = "key:key" },
        new("zset.add", -4, Write | DenyOom | Fast, 1, 1, 1, Group, "Adds members with scores to a sorted set (ZADD key score member ...); replies how many were new.", Since, ZSetAdd, "O(log(N)) for each member added.") { WouldChangeNothing = ZAddOptions.WouldChangeNothing, KeyFlags = "RW update", Syntax = "key:key data(score:double member:string)..." },
        new("zset.range", -4, ReadOnly, 1, 1, 1, Group, "Returns members by rank from start to stop, optionally WITHSCORES (ZRANGE).", Since, Redis(SortedSetCommands.Specs, "zrange"), "O(log(N)+M) where M is the number of members returned.") { KeyFlags = "RO access", Syntax = "key:key start:integer stop:integer [withscores:WITHSCORES]" },
        new("zset.score", 3, ReadOnly | Fast, 1, 1, 1, Group, "Returns the score of a member (ZSCORE).", Since, Redis(SortedSetCommands.Specs, "zscore"), "O(1)") { KeyFlags = "RO access", Syntax = "key:key member:string" },
        new("zset.del", -3, Write | Fast | NoOpWithoutKeys, 1, 1, 1, Group, "Removes members from a sorted set (ZREM); replies how many existed.", Since, Redis(SortedSetCommands.Specs, "zrem"), "O(M*log(N)) where M is the number of members removed.") { KeyFlags = "RW delete", Syntax = "key:key member:string..." },
    ];

    private static readonly CommandHandler HSet = Redis(HashCommands.Specs, "hset");
    private static readonly CommandHandler HGet = Redis(HashCommands.Specs, "hget");
    private static readonly CommandHandler HGetAll = Redis(HashCommands.Specs, "hgetall");
    private static readonly CommandHandler LRange = Redis(ListCommands.Specs, "lrange");
    private static readonly CommandHandler LIndex = Redis(ListCommands.Specs, "lindex");
    private static readonly CommandHandler ZAdd = Redis(SortedSetCommands.Specs, "zadd");

    /// <summary>The handler of Redis command <paramref name="name"/>; a missing one is a bug found at start-up.</summary>
    private static CommandHandler Redis(IReadOnlyList<CommandSpec> specs, string name)
    {
        foreach (var spec in specs)
        {
            if (spec.Name == name && spec.Handler is not null)
            {
                return spec.Handler;
            }
        }
        throw new InvalidOperationException($"typed commands alias '{name}', which has no handler");
    }

    /// <summary>dict.put d field value [field value ...]: HSET, with the pairs checked under the typed name.</summary>
    private static void DictPut(CommandContext context, CommandArgs args)
    {
        if (args.Count % 2 != 0)
        {
            context.Reply.WriteError(CommandErrors.WrongArity("dict.put"));
            return;
        }
        TypedAdapters.ReplyOk(context, args, HSet);
    }

    /// <summary>dict.get d: the whole map (HGETALL); dict.get d field: one value (HGET).</summary>
    private static void DictGet(CommandContext context, CommandArgs args)
    {
        switch (args.Count)
        {
            case 2:
                HGetAll(context, args);
                break;
            case 3:
                HGet(context, args);
                break;
            default:
                context.Reply.WriteError(CommandErrors.WrongArity("dict.get"));
                break;
        }
    }

    /// <summary>list.get l: the whole list (LRANGE l 0 -1); list.get l index: one element (LINDEX).</summary>
    private static void ListGet(CommandContext context, CommandArgs args)
    {
        switch (args.Count)
        {
            case 2:
                TypedAdapters.RunWith(context, args, LRange, "lrange"u8, "0"u8, "-1"u8);
                break;
            case 3:
                LIndex(context, args);
                break;
            default:
                context.Reply.WriteError(CommandErrors.WrongArity("list.get"));
                break;
        }
    }

    /// <summary>
    /// zset.add z score member [score member ...]: ZADD without its option words, so a score is
    /// always a score: pairs are checked under the typed name and every score must be a float.
    /// </summary>
    private static void ZSetAdd(CommandContext context, CommandArgs args)
    {
        if (args.Count % 2 != 0)
        {
            context.Reply.WriteError(CommandErrors.WrongArity("zset.add"));
            return;
        }
        for (var i = 2; i < args.Count; i += 2)
        {
            if (!FloatText.TryParse(args[i], out var score) || double.IsNaN(score))
            {
                context.Reply.WriteError(CommandErrors.NotFloat);
                return;
            }
        }
        ZAdd(context, args);
    }
}
