using System.Text;

namespace Dst.Commands.Docs;

/// <summary>
/// Parses a spec's <see cref="CommandSpec.Syntax"/>: Redis's usage line with every argument named
/// and typed, so one short string per command declares what COMMAND DOCS returns. Grammar:
/// <list type="bullet">
/// <item><c>name:type</c>, a value (key, string, integer, double, pattern, unix-time): <c>key:key</c>;</item>
/// <item><c>name:TOKEN</c>, a pure token: <c>get:GET</c>;</item>
/// <item><c>name(a b ...)</c>, a block of arguments in sequence; <c>name{a|b|...}</c>, one of them;</item>
/// <item><c>TOKEN arg</c>, an argument introduced by a token: <c>EX seconds:integer</c>;</item>
/// <item><c>arg...</c> repeats; <c>[arg]</c> is optional.</item>
/// </list>
/// SET is <c>key:key value:string [condition{nx:NX|xx:XX}] [get:GET] [expiration{EX seconds:integer|...}]</c>.
/// </summary>
public static class CommandSyntax
{
    public static IReadOnlyList<CommandArgument> Parse(string syntax)
    {
        var parser = new Parser(syntax);
        var arguments = parser.Sequence(end: '\0');
        return arguments;
    }

    /// <summary>The usage line as Redis's documentation writes it: <c>key value [NX | XX] [GET] [EX seconds | ...]</c>.</summary>
    public static string Usage(IReadOnlyList<CommandArgument> arguments) => string.Join(' ', arguments.Select(Usage));

    private static string Usage(CommandArgument argument)
    {
        var core = argument.Type switch
        {
            "pure-token" => argument.Token!,
            "block" => Usage(argument.Children),
            "oneof" => string.Join(" | ", argument.Children.Select(Usage)),
            _ => argument.Name,
        };
        if (argument.Multiple)
        {
            core = $"{core} [{core} ...]";
        }
        if (argument.Type != "pure-token" && argument.Token is not null)
        {
            core = $"{argument.Token} {core}"; // said once: WEIGHTS weight [weight ...]
        }
        return argument.Optional ? $"[{core}]" : core;
    }

    private sealed class Parser(string text)
    {
        private int _at;
        private int _keys;

        public List<CommandArgument> Sequence(char end)
        {
            var arguments = new List<CommandArgument>();
            while (true)
            {
                SkipSpaces();
                if (Peek() == end)
                {
                    _at++;
                    return arguments;
                }
                if (Peek() == '\0')
                {
                    throw Error($"expected '{end}'");
                }
                arguments.Add(Argument());
            }
        }

        private CommandArgument Argument()
        {
            if (Peek() != '[')
            {
                return Introduced(optional: false);
            }
            _at++;
            SkipSpaces();
            var argument = Introduced(optional: true);
            SkipSpaces();
            Expect(']');
            return argument;
        }

        /// <summary>An argument with an optional leading token: <c>EX seconds:integer</c>.</summary>
        private CommandArgument Introduced(bool optional)
        {
            var start = _at;
            var word = Word();
            if (Peek() == ' ')
            {
                SkipSpaces();
                if (!IsTokenWord(word))
                {
                    throw Error($"'{word}' is not a token, so it cannot introduce the next argument", start);
                }
                return Core(optional, token: word);
            }
            _at = start;
            return Core(optional, token: null);
        }

        private CommandArgument Core(bool optional, string? token)
        {
            var name = Word();
            CommandArgument argument;
            switch (Peek())
            {
                case ':':
                    _at++;
                    var type = Word();
                    if (CommandArgument.ValueTypes.Contains(type))
                    {
                        argument = new CommandArgument(name, type, token, optional, false, type == "key" ? _keys++ : -1, []);
                    }
                    else if (IsTokenWord(type) && token is null)
                    {
                        argument = new CommandArgument(name, "pure-token", type, optional, false, -1, []);
                    }
                    else
                    {
                        throw Error($"'{type}' is neither a value type nor a token");
                    }
                    break;
                case '(':
                    _at++;
                    argument = new CommandArgument(name, "block", token, optional, false, -1, Sequence(end: ')'));
                    break;
                case '{':
                    _at++;
                    argument = new CommandArgument(name, "oneof", token, optional, false, -1, Choices());
                    break;
                default:
                    throw Error($"'{name}' needs a ':type', a '(block)' or a '{{choice}}'");
            }
            if (text.AsSpan(_at).StartsWith("..."))
            {
                _at += 3;
                argument = argument with { Multiple = true };
            }
            return argument;
        }

        /// <summary>The alternatives of a choice; a key in each of them is the same key spec (OBJECT's subcommands all name one key).</summary>
        private List<CommandArgument> Choices()
        {
            var choices = new List<CommandArgument>();
            var firstKey = _keys;
            var afterChoice = _keys;
            while (true)
            {
                SkipSpaces();
                _keys = firstKey;
                choices.Add(Introduced(optional: false));
                afterChoice = Math.Max(afterChoice, _keys);
                SkipSpaces();
                var next = Peek();
                _at++;
                if (next == '}')
                {
                    _keys = afterChoice;
                    return choices;
                }
                if (next != '|')
                {
                    throw Error("expected '|' or '}'", _at - 1);
                }
            }
        }

        private string Word()
        {
            var start = _at;
            while (_at < text.Length && (char.IsAsciiLetterOrDigit(text[_at]) || text[_at] is '-' or '_'))
            {
                _at++;
            }
            return _at > start ? text[start.._at] : throw Error("expected a name");
        }

        private static bool IsTokenWord(string word) => word.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c is '-' or '_');

        private void SkipSpaces()
        {
            while (Peek() == ' ')
            {
                _at++;
            }
        }

        private void Expect(char expected)
        {
            if (Peek() != expected)
            {
                throw Error($"expected '{expected}'");
            }
            _at++;
        }

        private char Peek() => _at < text.Length ? text[_at] : '\0';

        private ArgumentException Error(string message, int? at = null) =>
            new(new StringBuilder().Append("command syntax \"").Append(text).Append("\" at ").Append(at ?? _at).Append(": ").Append(message).ToString());
    }
}
