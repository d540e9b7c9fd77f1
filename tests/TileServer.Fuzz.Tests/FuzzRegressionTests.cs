using Xunit;

namespace TileServer.Fuzz.Tests;

/// <summary>
/// Every input fuzzing found (minimised, in tests/fuzz/regressions/TARGET/), replayed through its target: each once
/// broke the parser's contract and must now get the parser's own answer. The findings are listed in docs/fuzzing.md.
/// </summary>
public sealed class FuzzRegressionTests
{
    public static TheoryData<string, string> Findings()
    {
        var data = new TheoryData<string, string>();
        string root = RepositoryFiles.PathOf("tests/fuzz/regressions");
        foreach (var folder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(folder), Path.GetFileName(file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Findings))]
    public void Found_input_gets_the_parsers_own_answer(string target, string file)
    {
        var fuzz = FuzzTargets.Get(target);
        fuzz.WarmUp();

        fuzz.Run(File.ReadAllBytes(RepositoryFiles.PathOf(Path.Combine("tests/fuzz/regressions", target, file))));
    }
}
