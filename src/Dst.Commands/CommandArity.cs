using Dst.Protocol;

namespace Dst.Commands;

/// <summary>Redis's arity rule: N means exactly N arguments (name included), -N means at least N.</summary>
public static class CommandArity
{
    public static bool Check(CommandSpec spec, CommandArgs args) => Check(spec.Arity, args.Count);

    public static bool Check(int arity, int count) => arity >= 0 ? count == arity : count >= -arity;
}
