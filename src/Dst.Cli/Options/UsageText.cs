namespace Dst.Cli.Options;

/// <summary>The text of <c>dst-cli --help</c>.</summary>
public static class UsageText
{
    public static string Build(string version) => $$"""
        dst-cli {{version}}: the command-line client of Dst.

        Usage: dst-cli [OPTIONS] [cmd [arg [arg ...]]]
               dst-cli [OPTIONS] --cluster <subcommand> [args...] [--timeout <seconds>]
          -h <hostname>      Server hostname (default: {{CliOptions.DefaultHost}}).
          -p <port>          Server port (default: {{CliOptions.DefaultPort}}).
          -a <password>      Password to authenticate with (AUTH, or HELLO 3 AUTH).
          --pass <password>  The same as -a.
          --user <username>  The ACL user to authenticate as (needs -a).
          -n <db>            Database number; Dst has only database 0.
          -2                 Speak RESP2.
          -3, --resp3        Speak RESP3; fail when the server does not support HELLO 3.
                             Default: RESP3 when the server supports it, so maps print as maps.
          -r <repeat>        Run the command given as arguments <repeat> times (-1: forever).
          -i <interval>      With -r, wait <interval> seconds between runs (0.1 allowed).
          -e                 Exit with code 1 when a command replies with an error.
          --raw              Print values only, one per line (the default when stdout is not a terminal).
          --no-raw           Print readable replies even when stdout is not a terminal.
          --json             Print each reply as one JSON value.
          --help             Print this help and exit.
          -v, --version      Print the version and exit.
          --cluster <sub>    Administer a cluster (see below); --cluster help for details.

        Commands can be typed the redis-cli way or as a function call:
          str.put "k1" "v1"            str.put("k1", "v1")
          dict.put d k1 v1 k2 v2       dict.get("d")
          task_table.add "00001", "22222", "my_task", 3, ["1", "2"]
        Quoting and escapes are redis-cli's: "..." knows \n \r \t \b \a \\ \" \xHH; '...' knows \'.
        In the function-call and comma forms an array [..] is sent as ONE argument holding its
        JSON text (["1", "2"] sends ["1","2"]).

        Examples:
          dst-cli -p 6380 str.get k1
          dst-cli -r 100 -i 1 info stats
          echo 'str.put("k1", "v1")' | dst-cli
          dst-cli                      (interactive: type "help" for help)
          dst-cli --cluster status 127.0.0.1:7000

        {{Cluster}}

        """;

    /// <summary>The text of <c>dst-cli --cluster help</c>, also the end of <c>--help</c>.</summary>
    public const string Cluster = """
        Cluster administration (dst-cli [-a <password>] [--json] --cluster <subcommand> ...):
          status <host:port>                           Members (id, address, voter/learner, leader,
                                                       match index, lag), term, commit and applied
                                                       index, as the leader reports them. Exit code 0
                                                       when a leader is known and answers, 1 otherwise.
          add-node <new-host:port> <existing-host:port>
                                                       Add the running, empty node (started with
                                                       --join) through a member; wait until it is a voter.
          remove-node <host:port> <node-id>            Remove a member; wait until the leader drops it.
          transfer-leader <host:port> <node-id>        Hand leadership to a voter; wait until it leads.
          wait-leader <host:port>                      Wait until the node knows a leader that answers.
          help                                         Print this help.
        <host:port> is any member's client address: it relays changes to the leader. Node ids are
        numbers (--node-id), or the 40-character names CLUSTER NODES prints. Options after the
        subcommand: --timeout <seconds> (how long to wait for the change, default 30), --json (one
        JSON object with "ok" true or false), -a/--pass <password>, --user <name>.
        Exit codes: 0 done; 1 usage error, unreachable node, refused change, or timeout.
        """;
}
