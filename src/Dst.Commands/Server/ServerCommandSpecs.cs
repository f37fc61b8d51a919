using static Dst.Commands.CommandFlags;

namespace Dst.Commands.Server;

/// <summary>
/// Commands the connection/server layer answers (<see cref="CommandFlags.Server"/>): they are in
/// the table so dispatch checks their arity and COMMAND lists them, but they have no keyspace handler.
/// Arity and flags are Redis 7's.
/// </summary>
public static class ServerCommandSpecs
{
    private const string Connection = "connection";
    private const string ServerGroup = "server";

    public static IReadOnlyList<CommandSpec> Specs { get; } =
    [
        Spec("ping", -1, Fast, Connection, "Returns the server's liveliness response.", "1.0.0", "O(1)") with { Syntax = "[message:string]" },
        Spec("echo", 2, Fast, Connection, "Returns the given string.", "1.0.0", "O(1)") with { Syntax = "message:string" },
        Spec("quit", -1, Fast | NoAuth | Loading | Stale, Connection, "Closes the connection.", "1.0.0", "O(1)"),
        Spec("reset", 1, Fast | NoAuth | Loading | Stale, Connection, "Resets the connection.", "6.2.0", "O(1)"),
        Spec("hello", -1, Fast | NoAuth | Loading | Stale, Connection, "Handshakes with the Redis server.", "6.0.0", "O(1)") with { Syntax = "[arguments(protover:integer [AUTH username_password(username:string password:string)] [SETNAME clientname:string])]" },
        Spec("auth", -2, Fast | NoAuth | Loading | Stale, Connection, "Authenticates the connection.", "1.0.0", "O(N) where N is the number of passwords defined for the user") with { Syntax = "[username:string] password:string" },
        Spec("select", 2, Fast | Loading | Stale, Connection, "Changes the selected database.", "1.0.0", "O(1)") with { Syntax = "index:integer" },
        Spec("client", -2, Loading | Stale, Connection, "A container for client connection commands.", "2.4.0", "Depends on subcommand.") with { Syntax = "subcommand{id:ID|SETNAME connection-name:string|getname:GETNAME|LIST list([TYPE type{normal:NORMAL|master:MASTER|replica:REPLICA|pubsub:PUBSUB}] [ID client-id:integer...])|info:INFO|KILL filter{ip-port:string|new-format(filter:string value:string)...}|UNBLOCK unblock(client-id:integer [unblock-type{timeout:TIMEOUT|error:ERROR}])|SETINFO attr{LIB-NAME libname:string|LIB-VER libver:string}|NO-EVICT enabled{on:ON|off:OFF}|NO-TOUCH enabled{on:ON|off:OFF}}" },
        Spec("info", -1, Loading | Stale, ServerGroup, "Returns information and statistics about the server.", "1.0.0", "O(1)") with { Syntax = "[section:string...]" },
        Spec("config", -2, Admin | Loading | Stale, ServerGroup, "A container for server configuration commands.", "2.0.0", "Depends on subcommand.") with { Syntax = "subcommand{GET parameter:pattern...|SET data(parameter:string value:string)...|resetstat:RESETSTAT|help:HELP}" },
        Spec("time", 1, Fast | Loading | Stale, ServerGroup, "Returns the server time.", "2.6.0", "O(1)"),
        Spec("save", 1, Admin, ServerGroup, "Synchronously saves the database(s) to disk.", "1.0.0", "O(N) where N is the total number of keys in all databases"),
        Spec("bgsave", -1, Admin, ServerGroup, "Asynchronously saves the database(s) to disk.", "1.0.0", "O(1)") with { Syntax = "[schedule:SCHEDULE]" },
        Spec("lastsave", 1, Fast | Loading | Stale, ServerGroup, "Returns the Unix timestamp of the last successful save to disk.", "1.0.0", "O(1)"),
        Spec("shutdown", -1, Admin | Loading | Stale, ServerGroup, "Synchronously saves the database(s) to disk and shuts down the Redis server.", "1.0.0", "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)") with { Syntax = "[nosave_save{nosave:NOSAVE|save:SAVE}] [now:NOW] [force:FORCE] [abort:ABORT]" },
        Spec("command", -1, Loading | Stale, ServerGroup, "Returns detailed information about all commands.", "2.8.13", "O(N) where N is the total number of Redis commands") with { Syntax = "[subcommand{count:COUNT|INFO info([command-name:string...])|DOCS docs([command-name:string...])|LIST list([FILTERBY filterby{MODULE module-name:string|ACLCAT category:string|PATTERN pattern:pattern}])|GETKEYS getkeys(command:string arg:string...)|GETKEYSANDFLAGS getkeysandflags(command:string arg:string...)|help:HELP}]" },
    ];

    private static CommandSpec Spec(string name, int arity, CommandFlags flags, string group, string summary, string since, string complexity) =>
        new(name, arity, flags | CommandFlags.Server, 0, 0, 0, group, summary, since, Handler: null, complexity);
}
