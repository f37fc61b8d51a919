using Dst.Commands;
using Dst.Protocol;
using Dst.Server.Networking;

namespace Dst.Server.ServerCommands;

/// <summary>COMMAND [COUNT|INFO|DOCS|LIST|GETKEYS|HELP]: answered from the command table by its own reply builders.</summary>
public static class CommandCommand
{
    public static ValueTask Execute(ClientConnection client, CommandArgs args)
    {
        CommandReplies.Write(client.Server.Commands, args, client.Reply);
        return ValueTask.CompletedTask;
    }
}
