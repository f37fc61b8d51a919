namespace Dst.Cli.Options;

/// <summary>The text of <c>dst-cli --help</c>.</summary>
public static class UsageText
{
    public static string Build(string version) => $$"""
        dst-cli {{version}}: the command-line client of Dst.

        Usage: dst-cli [OPTIONS] [cmd [arg [arg ...]]]
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

        """;
}
