using System.Runtime.CompilerServices;

namespace Dst.Raft.Tests.Scenarios;

/// <summary>
/// Golden-file scenario tests: each <c>testdata/*.txt</c> is a script with its expected output.
/// Set <c>DST_REWRITE_GOLDEN=1</c> to rewrite the files in the source tree from the actual output
/// (then review the diff).
/// </summary>
public sealed class ScenarioTests
{
    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "testdata"), "*.txt").Order())
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_output_matches_golden_file(string name)
    {
        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", name)).Replace("\r\n", "\n");
        var actual = ScenarioScript.Run(expected);
        if (Environment.GetEnvironmentVariable("DST_REWRITE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(SourceTestData(), name), actual);
            return;
        }
        Assert.Equal(expected, actual);
    }

    private static string SourceTestData([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(thisFile)!)!, "testdata");
}
