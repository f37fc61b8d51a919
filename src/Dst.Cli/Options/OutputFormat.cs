namespace Dst.Cli.Options;

/// <summary>How replies are printed.</summary>
public enum OutputFormat
{
    /// <summary>redis-cli's human form: <c>"v1"</c>, <c>(integer) 3</c>, numbered lists, maps.</summary>
    Pretty,

    /// <summary>Values only, one per line, no quotes or type tags (redis-cli --raw).</summary>
    Raw,

    /// <summary>One JSON value per reply.</summary>
    Json,
}
