using System.Text;
using Dst.Raft.ConfChange;

namespace Dst.Raft.Tests.Scenarios;

/// <summary>
/// Runs a scenario file: blocks of <c>command</c>, a <c>----</c> line, and the expected output,
/// separated by blank lines; <c>#</c> lines are comments. <see cref="Run"/> returns the file as it
/// should read with the actual outputs, so a test compares it with the file (or rewrites it).
/// </summary>
public static class ScenarioScript
{
    public static string Run(string script)
    {
        var cluster = new ScenarioCluster();
        var result = new StringBuilder();
        var lines = script.Replace("\r\n", "\n").Split('\n');
        var i = 0;
        while (i < lines.Length)
        {
            var line = lines[i];
            if (line.StartsWith('#') || line.Length == 0)
            {
                result.Append(line).Append('\n');
                i++;
                continue;
            }
            var command = line;
            i++;
            if (i >= lines.Length || lines[i] != "----")
            {
                throw new FormatException($"line {i}: expected ---- after '{command}'");
            }
            i++;
            while (i < lines.Length && lines[i].Length > 0)
            {
                i++; // the old expected output, replaced by the actual one
            }
            Execute(cluster, command);
            result.Append(command).Append("\n----\n").Append(cluster.TakeOutput()).Append('\n');
        }
        return result.ToString().TrimEnd('\n') + "\n";
    }

    private static void Execute(ScenarioCluster cluster, string command)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var args = words[1..];
        switch (words[0])
        {
            case "add-nodes":
                AddNodes(cluster, args);
                break;
            case "campaign":
                cluster.Campaign(Id(args[0]));
                break;
            case "propose":
                cluster.Propose(Id(args[0]), args[1]);
                break;
            case "propose-conf-change":
                cluster.ProposeConfChange(Id(args[0]), ParseConfChange(args[1..]));
                break;
            case "transfer-leader":
                cluster.TransferLeader(Id(args[0]), Id(args[1]));
                break;
            case "read-index":
                cluster.ReadIndex(Id(args[0]), ulong.Parse(args[1]));
                break;
            case "tick":
                cluster.Tick(Id(args[0]), int.Parse(args[1]));
                break;
            case "tick-all":
                cluster.TickAll(int.Parse(args[0]));
                break;
            case "run":
                cluster.Run(int.Parse(args[0]));
                break;
            case "stabilize":
                cluster.Stabilize();
                break;
            case "deliver":
                cluster.DeliverTo(Id(args[0]));
                break;
            case "drop-all":
                cluster.DropAll();
                break;
            case "partition":
                cluster.Partition(string.Join(' ', args).Split('|').Select(g => (IReadOnlyList<ulong>)Ids(g)).ToList());
                break;
            case "cut":
                cluster.CutOneWay(Id(args[0]), Id(args[1]));
                break;
            case "heal":
                cluster.Heal();
                break;
            case "crash":
                cluster.Crash(Id(args[0]));
                break;
            case "restart":
                cluster.Restart(Id(args[0]));
                break;
            case "compact":
                cluster.Compact(Id(args[0]), ulong.Parse(args[1]));
                break;
            case "status":
                cluster.Status();
                break;
            case "log":
                foreach (var id in args)
                {
                    cluster.PrintLog(Id(id));
                }
                break;
            default:
                throw new FormatException($"unknown command '{words[0]}'");
        }
    }

    /// <summary><c>add-nodes N [voters=1,2,3] [learners=4] [prevote=false] [checkquorum=false] [lease=true] [maxmsg=bytes]</c></summary>
    private static void AddNodes(ScenarioCluster cluster, string[] args)
    {
        var count = int.Parse(args[0]);
        var options = args[1..].Select(a => a.Split('=')).ToDictionary(kv => kv[0], kv => kv[1]);
        var voters = options.TryGetValue("voters", out var v) ? Ids(v.Replace(',', ' ')) : [];
        var learners = options.TryGetValue("learners", out var l) ? Ids(l.Replace(',', ' ')) : [];
        var preVote = !options.TryGetValue("prevote", out var p) || bool.Parse(p);
        var checkQuorum = !options.TryGetValue("checkquorum", out var c) || bool.Parse(c);
        var lease = options.TryGetValue("lease", out var r) && bool.Parse(r);
        var maxMessageBytes = options.TryGetValue("maxmsg", out var m) ? ulong.Parse(m) : 1UL << 20;
        cluster.AddNodes(count, voters, learners, (id, applied) => new RaftConfig
        {
            Id = id,
            Applied = applied,
            Random = new SeededRandom(id),
            PreVote = preVote,
            CheckQuorum = checkQuorum,
            ReadOnlyOption = lease ? ReadOnlyOption.LeaseBased : ReadOnlyOption.Safe,
            MaxSizePerMsg = maxMessageBytes,
            MaxInflightMsgs = maxMessageBytes < 16 ? 1 : 256,
        });
    }

    /// <summary><c>[joint|explicit] v4 l5 r2</c> (add voter, add learner, remove) or <c>leave</c>.</summary>
    private static ConfChangeRequest ParseConfChange(string[] args)
    {
        if (args is ["leave"])
        {
            return ConfChangeRequest.LeaveJoint;
        }
        var transition = ConfChangeTransition.Auto;
        var changes = new List<ConfChangeSingle>();
        foreach (var arg in args)
        {
            switch (arg)
            {
                case "joint":
                    transition = ConfChangeTransition.JointImplicit;
                    continue;
                case "explicit":
                    transition = ConfChangeTransition.JointExplicit;
                    continue;
            }
            var type = arg[0] switch
            {
                'v' => ConfChangeType.AddNode,
                'l' => ConfChangeType.AddLearnerNode,
                'r' => ConfChangeType.RemoveNode,
                _ => throw new FormatException($"bad conf change '{arg}'"),
            };
            changes.Add(new ConfChangeSingle(type, ulong.Parse(arg[1..])));
        }
        return new ConfChangeRequest(transition, changes);
    }

    private static ulong Id(string text) => ulong.Parse(text);

    private static ulong[] Ids(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ulong.Parse).ToArray();
}
