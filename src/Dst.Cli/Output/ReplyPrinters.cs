using Dst.Cli.Options;

namespace Dst.Cli.Output;

public static class ReplyPrinters
{
    public static IReplyPrinter For(OutputFormat format) => format switch
    {
        OutputFormat.Raw => new RawPrinter(),
        OutputFormat.Json => new JsonPrinter(),
        _ => new PrettyPrinter(),
    };
}
