using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Dst.Cli.Cluster;

/// <summary>
/// What the cluster admin prints. As text: progress and results on stdout, failures on stderr. With
/// <c>--json</c>: exactly one JSON object on stdout per run (<c>"ok"</c> true or false), so a script
/// can parse it whatever happened; progress is not printed.
/// </summary>
public sealed class ClusterOutput(TextWriter stdout, TextWriter stderr, bool json)
{
    public void Progress(string line)
    {
        if (!json)
        {
            stdout.WriteLine(line);
        }
    }

    /// <summary>Prints the result; <paramref name="fields"/> (numbers or strings) go into the JSON object. Returns exit code 0.</summary>
    public int Success(string message, params (string Name, object Value)[] fields) => Report(ok: true, message, fields);

    /// <summary>Prints why the command failed. Returns exit code 1.</summary>
    public int Failure(string message, params (string Name, object Value)[] fields) => Report(ok: false, message, fields);

    /// <summary>JSON: <c>{"ok": ..., "message"|"error": ..., fields}</c>; text: the message on stdout, or stderr for a failure.</summary>
    private int Report(bool ok, string message, (string Name, object Value)[] fields)
    {
        if (json)
        {
            WriteJson(writer =>
            {
                writer.WriteBoolean("ok", ok);
                writer.WriteString(ok ? "message" : "error", message);
                WriteFields(writer, fields);
            });
        }
        else
        {
            (ok ? stdout : stderr).WriteLine(message);
        }
        return ok ? 0 : 1;
    }

    public int Status(ClusterStatus status)
    {
        var leader = status.Leader;
        if (json)
        {
            WriteJson(writer =>
            {
                writer.WriteBoolean("ok", true);
                writer.WriteNumber("leader", leader.NodeId);
                writer.WriteString("leader_address", status.LeaderEndpoint.ToString());
                writer.WriteNumber("term", leader.Term);
                writer.WriteNumber("commit_index", leader.CommitIndex);
                writer.WriteNumber("applied_index", leader.AppliedIndex);
                writer.WriteNumber("last_index", leader.LastIndex);
                writer.WriteStartArray("members");
                foreach (var member in status.Members)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("id", member.Id);
                    writer.WriteString("address", member.Address);
                    writer.WriteString("role", member.IsVoter ? "voter" : "learner");
                    writer.WriteBoolean("leader", member.IsLeader);
                    writer.WriteNumber("match", member.Match);
                    writer.WriteNumber("lag", member.Lag);
                    writer.WriteBoolean("online", member.Online);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            });
            return 0;
        }
        var voters = status.Members.Count(m => m.IsVoter);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Leader: node {leader.NodeId} at {status.LeaderEndpoint}, term {leader.Term}, commit index {leader.CommitIndex}, applied index {leader.AppliedIndex}"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Members: {status.Members.Count} ({voters} voters, {status.Members.Count - voters} learners)"));
        string[] header = ["ID", "ADDRESS", "ROLE", "LEADER", "MATCH", "LAG", "LINK"];
        var rows = status.Members.Select(m => new[]
        {
            m.Id.ToString(CultureInfo.InvariantCulture), m.Address, m.IsVoter ? "voter" : "learner", m.IsLeader ? "*" : "",
            m.Match.ToString(CultureInfo.InvariantCulture), m.Lag.ToString(CultureInfo.InvariantCulture), m.Online ? "ok" : "down",
        }).ToList();
        var widths = header.Select((title, column) => rows.Select(row => row[column].Length).Append(title.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            stdout.WriteLine(string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
        }
        return 0;
    }

    private void WriteJson(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        stdout.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteFields(Utf8JsonWriter writer, (string Name, object Value)[] fields)
    {
        foreach (var (name, value) in fields)
        {
            if (value is ulong number)
            {
                writer.WriteNumber(name, number);
            }
            else
            {
                writer.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture));
            }
        }
    }
}
