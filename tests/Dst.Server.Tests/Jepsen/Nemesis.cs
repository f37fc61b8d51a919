using System.Globalization;
using Dst.Server.Tests.Replication;

namespace Dst.Server.Tests.Jepsen;

/// <summary>
/// The fault schedule of the Jepsen test, drawn from the seed: kill -9 (the leader half the time)
/// and restart, SIGSTOP/SIGCONT, a partition through the fault proxies, or a member removed, wiped
/// and added back with --join. One fault at a time, each undone before the next; <see cref="RecoverAsync"/>
/// undoes whatever is left. Every step is logged with the history's clock so it can be read next
/// to the operations.
/// </summary>
public sealed class Nemesis(ClusterProcesses cluster, Random random, Func<long> clock, Action<string> log)
{
    private readonly List<string> _events = [];

    public IReadOnlyList<string> Events => _events;

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await RestAsync(500, 1500, stop);
            if (stop.IsCancellationRequested)
            {
                return;
            }
            switch (random.Next(4))
            {
                case 0:
                    await KillAndRestartAsync(stop);
                    break;
                case 1:
                    await PauseAndResumeAsync(stop);
                    break;
                case 2:
                    await PartitionAndHealAsync(stop);
                    break;
                default:
                    await RemoveWipeAndRejoinAsync();
                    break;
            }
        }
    }

    /// <summary>Heals every link, resumes paused nodes, restarts stopped members and re-adds removed ones.</summary>
    public async Task RecoverAsync()
    {
        cluster.Heal();
        foreach (var node in cluster.Nodes)
        {
            if (node.Process.IsPaused)
            {
                node.Process.Resume();
            }
        }
        foreach (var node in cluster.Nodes.Where(node => node.Process.HasExited))
        {
            if (node.IsMember)
            {
                Note($"recover: restart node {node.Id}");
                await cluster.RestartAsync(node.Id);
            }
            else
            {
                Note($"recover: re-add node {node.Id}");
                await cluster.JoinAsync(node.Id);
            }
        }
        Note("recovered: all links pass, every node runs");
    }

    private async Task KillAndRestartAsync(CancellationToken stop)
    {
        var victim = await PickAsync();
        Note($"kill -9 node {victim.Id}");
        await cluster.KillAsync(victim.Id);
        await RestAsync(1000, 3000, stop);
        Note($"restart node {victim.Id}");
        await cluster.RestartAsync(victim.Id);
    }

    private async Task PauseAndResumeAsync(CancellationToken stop)
    {
        var victim = await PickAsync();
        Note($"SIGSTOP node {victim.Id}");
        cluster.Pause(victim.Id);
        await RestAsync(1000, 3000, stop);
        Note($"SIGCONT node {victim.Id}");
        cluster.Resume(victim.Id);
    }

    private async Task PartitionAndHealAsync(CancellationToken stop)
    {
        var leader = await cluster.LeaderAsync();
        var founders = cluster.Nodes.Select(node => node.Id).ToList();
        var minoritySize = random.Next(1, (founders.Count + 1) / 2);
        var minority = new List<ulong>();
        if (leader is not null && random.Next(2) == 0)
        {
            minority.Add(leader.Id); // cut the leader off from the majority
        }
        while (minority.Count < minoritySize)
        {
            var pick = founders[random.Next(founders.Count)];
            if (!minority.Contains(pick))
            {
                minority.Add(pick);
            }
        }
        Note($"partition [{string.Join(' ', minority)}] | [{string.Join(' ', founders.Except(minority))}]");
        cluster.Partition(minority);
        await RestAsync(2000, 4000, stop);
        Note("heal");
        cluster.Heal();
    }

    private async Task RemoveWipeAndRejoinAsync()
    {
        // Only from a settled group: every member up and following the leader. Otherwise a node still
        // catching up from the last change would be removed too, and the group would shrink.
        var leader = await cluster.LeaderAsync();
        var candidates = cluster.Members.Where(node => node.IsUp && node != leader).ToArray();
        if (leader is null || candidates.Length == 0 || !await cluster.AllMembersFollowAsync(leader))
        {
            Note("membership change skipped: the group is not settled");
            return;
        }
        var victim = candidates[random.Next(candidates.Length)];
        Note($"CLUSTER REMOVENODE {victim.Id}");
        var reply = await cluster.RemoveNodeAsync(victim.Id);
        Note($"  -> {reply}");
        if (reply.IsError)
        {
            return;
        }
        await cluster.KillAsync(victim.Id);
        Note($"wipe node {victim.Id} and re-add it with --join");
        await cluster.JoinAsync(victim.Id, wipe: true);
    }

    /// <summary>The leader half the time (when one is known), otherwise any running member.</summary>
    private async Task<ClusterNode> PickAsync()
    {
        if (random.Next(2) == 0 && await cluster.LeaderAsync() is { } leader)
        {
            return leader;
        }
        var up = cluster.Nodes.Where(node => node.IsUp).ToArray();
        return up[random.Next(up.Length)];
    }

    private async Task RestAsync(int minMilliseconds, int maxMilliseconds, CancellationToken stop)
    {
        try
        {
            await Task.Delay(random.Next(minMilliseconds, maxMilliseconds), stop);
        }
        catch (OperationCanceledException)
        {
            // The run is over: the fault in progress is undone at once.
        }
    }

    private void Note(string what)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{clock() / 1000.0,9:0.0} ms  {what}");
        lock (_events)
        {
            _events.Add(line);
        }
        log(line);
    }
}
