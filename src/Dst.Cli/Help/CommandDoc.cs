using Dst.Protocol;

namespace Dst.Cli.Help;

/// <summary>
/// One command's entry from <c>COMMAND DOCS</c> (a map in RESP3, a flat key/value array in RESP2),
/// and its usage line built from the argument tree the way redis-cli builds its hints:
/// <c>[x]</c> optional, <c>x [x ...]</c> repeatable, <c>a|b</c> one of, <c>TOKEN value</c>.
/// </summary>
public sealed record CommandDoc(string Name, string? Summary, string? Since, string? Group, string? Complexity, string Usage)
{
    /// <summary>The entries in a <c>COMMAND DOCS</c> reply (empty for an unknown command).</summary>
    public static List<CommandDoc> FromReply(RespValue reply)
    {
        var docs = new List<CommandDoc>();
        foreach (var (name, body) in Pairs(reply))
        {
            var fields = Fields(body);
            var arguments = fields.TryGetValue("arguments", out var list) ? list.Items.Select(RenderArgument) : [];
            var usage = string.Join(' ', new[] { name.GetString()! }.Concat(arguments));
            docs.Add(new CommandDoc(name.GetString()!, Text(fields, "summary"), Text(fields, "since"), Text(fields, "group"), Text(fields, "complexity"), usage));
        }
        return docs;
    }

    private static string RenderArgument(RespValue argument)
    {
        var fields = Fields(argument);
        var name = Text(fields, "name") ?? "arg";
        var token = Text(fields, "token");
        var flags = fields.TryGetValue("flags", out var list) ? list.Items.Select(f => f.GetString()).ToHashSet() : [];
        var children = fields.TryGetValue("arguments", out var sub) ? sub.Items.Select(RenderArgument).ToList() : [];
        var core = Text(fields, "type") switch
        {
            "pure-token" => token ?? name,
            "oneof" => string.Join('|', children),
            "block" => string.Join(' ', children),
            _ => name,
        };
        // A repeated argument repeats its token only when flagged multiple_token: WEIGHTS weight [weight ...].
        if (flags.Contains("multiple"))
        {
            core = token is not null && flags.Contains("multiple_token") && Text(fields, "type") is not "pure-token"
                ? $"{token} {core} [{token} {core} ...]"
                : $"{core} [{core} ...]";
        }
        if (token is not null && Text(fields, "type") is not "pure-token" && !flags.Contains("multiple_token"))
        {
            core = $"{token} {core}";
        }
        return flags.Contains("optional") ? $"[{core}]" : core;
    }

    private static Dictionary<string, RespValue> Fields(RespValue value) =>
        Pairs(value).GroupBy(p => p.Key.GetString() ?? "").ToDictionary(g => g.Key, g => g.First().Value);

    /// <summary>Key/value pairs of a RESP3 map or of a RESP2 flat array.</summary>
    private static IEnumerable<(RespValue Key, RespValue Value)> Pairs(RespValue value)
    {
        if (value.Type is not (RespType.Map or RespType.Array))
        {
            yield break;
        }
        for (var i = 0; i + 1 < value.Items.Count; i += 2)
        {
            yield return (value.Items[i], value.Items[i + 1]);
        }
    }

    private static string? Text(Dictionary<string, RespValue> fields, string key) =>
        fields.TryGetValue(key, out var value) && !value.IsNull ? value.GetString() : null;
}
