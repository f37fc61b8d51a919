using Dst.Cli.Cluster;
using Dst.Cli.Options;

namespace Dst.Cli.Tests.Cluster;

public class ClusterCommandLineTests
{
    private static (CliOptions Options, ClusterRequest? Request) Parse(params string[] args)
    {
        var options = CliOptionsParser.Parse(args);
        return ClusterCommandLine.Parse(options, options.Cluster!);
    }

    private static string Error(params string[] args) => Assert.Throws<CliUsageException>(() => Parse(args)).Message;

    [Fact]
    public void Options_may_come_before_or_after_the_subcommand()
    {
        var (options, request) = Parse("-a", "pw", "--cluster", "remove-node", "10.0.0.1:7000", "3", "--json", "--timeout", "2.5");
        Assert.Equal("pw", options.Password);
        Assert.Equal(OutputFormat.Json, options.Output);
        var remove = Assert.IsType<RemoveNodeRequest>(request);
        Assert.Equal(new NodeEndpoint("10.0.0.1", 7000), remove.Via);
        Assert.Equal(3UL, remove.NodeId);
        Assert.Equal(TimeSpan.FromSeconds(2.5), remove.Timeout);
    }

    [Fact]
    public void Add_node_names_the_new_node_first_and_ids_may_be_cluster_nodes_names()
    {
        var add = Assert.IsType<AddNodeRequest>(Parse("--cluster", "add-node", "127.0.0.1:7003", "[::1]:7000").Request);
        Assert.Equal(new NodeEndpoint("127.0.0.1", 7003), add.NewNode);
        Assert.Equal(new NodeEndpoint("::1", 7000), add.Via);
        Assert.Equal(ClusterCommandLine.DefaultTimeout, add.Timeout);
        var transfer = Assert.IsType<TransferLeaderRequest>(Parse("--cluster", "TRANSFER-LEADER", "h:1", new string('0', 39) + "a").Request);
        Assert.Equal(10UL, transfer.NodeId);
        Assert.Null(Parse("--cluster", "help").Request);
    }

    [Fact]
    public void Mistakes_name_what_is_wrong()
    {
        Assert.StartsWith("--cluster needs a subcommand: status, add-node", Error("--cluster"));
        Assert.StartsWith("Unknown --cluster subcommand 'fix'", Error("--cluster", "fix", "h:1"));
        Assert.Equal("Usage: dst-cli --cluster status <host:port>", Error("--cluster", "status"));
        Assert.Equal("Invalid node address '7000': expected host:port", Error("--cluster", "status", "7000"));
        Assert.StartsWith("Invalid node id '0'", Error("--cluster", "remove-node", "h:1", "0"));
        Assert.StartsWith("Invalid timeout 'soon'", Error("--cluster", "wait-leader", "h:1", "--timeout", "soon"));
        Assert.Equal("Unrecognized option or bad number of args for: '--force'", Error("--cluster", "status", "h:1", "--force"));
        Assert.Equal("--user needs a password: give it with -a", Error("--cluster", "status", "h:1", "--user", "bob"));
    }
}
