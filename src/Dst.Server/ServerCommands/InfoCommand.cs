using Dst.Protocol;
using Dst.Server.Info;
using Dst.Server.Networking;

namespace Dst.Server.ServerCommands;

/// <summary>INFO [section ...]: a bulk string in RESP2, verbatim text in RESP3.</summary>
public static class InfoCommand
{
    public static ValueTask Execute(ClientConnection client, CommandArgs args)
    {
        var names = new List<string>(args.Count - 1);
        for (var i = 1; i < args.Count; i++)
        {
            names.Add(args.GetString(i));
        }
        client.Reply.WriteVerbatim(new InfoBuilder(client.Server).Build(InfoSections.From(names)));
        return ValueTask.CompletedTask;
    }
}
