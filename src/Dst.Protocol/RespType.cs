namespace Dst.Protocol;

/// <summary>The kind of a reply value. The comment on each names its RESP prefix.</summary>
public enum RespType : byte
{
    /// <summary><c>+</c> a status line such as OK.</summary>
    SimpleString,

    /// <summary><c>-</c> an error line; its first word is the code (ERR, WRONGTYPE, MOVED, ...).</summary>
    SimpleError,

    /// <summary><c>:</c> a signed 64-bit integer.</summary>
    Integer,

    /// <summary><c>$</c> a binary-safe string.</summary>
    BulkString,

    /// <summary><c>*</c> an ordered list of values.</summary>
    Array,

    /// <summary>RESP3 <c>_</c>, and RESP2's null bulk <c>$-1</c> and null array <c>*-1</c>.</summary>
    Null,

    /// <summary>RESP3 <c>#t</c> / <c>#f</c>.</summary>
    Boolean,

    /// <summary>RESP3 <c>,</c> including inf, -inf and nan.</summary>
    Double,

    /// <summary>RESP3 <c>(</c> an integer of any size, kept as its decimal text.</summary>
    BigNumber,

    /// <summary>RESP3 <c>!</c> a binary-safe error.</summary>
    BulkError,

    /// <summary>RESP3 <c>=</c> text with a three-letter format such as "txt" or "mkd".</summary>
    VerbatimString,

    /// <summary>RESP3 <c>%</c> key/value pairs, kept flat in order: key, value, key, value.</summary>
    Map,

    /// <summary>RESP3 <c>~</c> an unordered collection.</summary>
    Set,

    /// <summary>RESP3 <c>&gt;</c> out-of-band data (pub/sub messages, invalidations), never a reply to a command.</summary>
    Push,
}
