using Xunit;
using Xunit.Abstractions;

namespace TileServer.Fuzz.Tests;

/// <summary>
/// The short run of every fuzz target that the test command makes: all seeds from the fixtures, then a fixed number
/// of mutated inputs from a fixed PCG seed (the same inputs on every machine). Any exception other than the parser's
/// own error kinds, or allocation beyond the input's bound, fails the test with the input in base64 (and saved under
/// the test's output folder, fuzz-failures/). Long runs: tests/fuzz/run.sh TARGET SECONDS.
/// </summary>
public sealed class ShortFuzzRunTests(ITestOutputHelper output)
{
    /// <summary>About 1–4 s per target on one core of the CI machine; the whole set stays well under a minute.</summary>
    private const int Iterations = 2000;

    private const ulong PcgSeed = 20261204;

    public static TheoryData<string> Targets() => [.. FuzzTargets.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Target_survives_its_seeds_and_mutations_with_only_its_own_errors_and_bounded_memory(string name)
    {
        var target = FuzzTargets.Get(name);

        var result = FuzzRunner.ShortRun(target, Iterations, PcgSeed, Path.Combine(AppContext.BaseDirectory, "fuzz-failures"));

        output.WriteLine($"{result.Target}: {result.Executions} executions ({result.Seeds} seeds) in {result.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(result.Seeds + Iterations, result.Executions);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Target_is_seeded_from_the_repository_fixtures(string name)
    {
        var target = FuzzTargets.Get(name);

        Assert.NotEmpty(target.Seeds);
        Assert.All(target.Seeds, s => Assert.NotEmpty(s));
    }

    [Fact]
    public void Chunk_targets_cover_every_codec_the_fixtures_use()
    {
        var summaries = FuzzTargets.All.OfType<Targets.ChunkTarget>().SelectMany(t => t.Fixtures).Select(f => f.CodecSummary).ToArray();

        foreach (var codec in new[] { "blosc", "zstd", "gzip", "zlib", "lz4", "bz2", "crc32c", "transpose", "sharding", "delta", "adler32", "fletcher32" })
        {
            Assert.Contains(summaries, s => s.Contains(codec, StringComparison.Ordinal));
        }
    }
}
