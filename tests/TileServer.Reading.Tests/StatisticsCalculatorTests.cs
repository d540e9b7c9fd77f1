using System.Text.Json.Nodes;
using TileServer.Reading.Statistics;

namespace TileServer.Reading.Tests;

public class StatisticsCalculatorTests
{
    [Theory]
    [InlineData("centre")]
    [InlineData("weighted")]
    [InlineData("bins")]
    [InlineData("categorical")]
    public void StatisticsEqualNumpy(string name)
    {
        var (_, values) = AreaData.Npy("calculator_values.npy");
        var (_, weights) = AreaData.Npy("calculator_weights.npy");
        var options = new StatisticsOptions { Percentiles = [5, 50, 95] };
        if (name != "weighted")
        {
            weights = weights.Select(w => w > 0 ? 1f : 0f).ToArray();
        }

        if (name == "bins")
        {
            options = new StatisticsOptions { HistogramBins = 7, HistogramRange = new Stretch(0, 14) };
        }

        if (name == "categorical")
        {
            values = values.Select(v => MathF.Round(v / 5, MidpointRounding.ToEven)).ToArray();
            options = new StatisticsOptions { Categorical = true };
        }

        var actual = StatisticsCalculator.Compute(values, weights, options);
        AssertMatches(AreaData.References["calculator"]![name]!.AsObject(), actual);
    }

    [Fact]
    public void AnAreaWithoutDataHasCountsButNoValues()
    {
        var s = StatisticsCalculator.Compute([float.NaN, float.NaN, 3f], [1f, 1f, 0f], new StatisticsOptions());
        Assert.Equal(0, s.ValidPixels);
        Assert.Equal(2, s.MaskedPixels);
        Assert.Equal(0, s.ValidPercent);
        Assert.True(double.IsNaN(s.Mean));
        Assert.Equal(10, s.HistogramCounts.Count);
    }

    [Fact]
    public void RadixSortOrdersLikeComparisonSort()
    {
        var rng = new Random(7);
        var values = Enumerable.Range(0, 10_000).Select(_ => (float)((rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-3, 6)))).Concat([0f, -0f, float.MaxValue, float.MinValue, float.Epsilon, -float.Epsilon]).ToArray();
        var keys = values.Select(RadixSort.Key).ToArray();
        RadixSort.Sort(keys, new uint[keys.Length], [], []);
        var expected = values.Order().ToArray();
        Assert.Equal(expected, keys.Select(RadixSort.Value).ToArray());
    }

    internal static void AssertMatches(JsonObject expected, BandStatistics actual)
    {
        var got = new Dictionary<string, double>
        {
            ["min"] = actual.Min, ["max"] = actual.Max, ["mean"] = actual.Mean, ["count"] = actual.Count, ["sum"] = actual.Sum,
            ["std"] = actual.Std, ["median"] = actual.Median, ["majority"] = actual.Majority, ["minority"] = actual.Minority,
            ["unique"] = actual.Unique, ["valid_pixels"] = actual.ValidPixels, ["masked_pixels"] = actual.MaskedPixels, ["valid_percent"] = actual.ValidPercent,
        };
        foreach (var (p, v) in actual.Percentiles)
        {
            got["percentile_" + p.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)] = v;
        }

        foreach (var (key, value) in expected)
        {
            if (key == "histogram")
            {
                var counts = value![0]!.AsArray().Select(x => (double)x!).ToArray();
                var edges = value[1]!.AsArray().Select(x => (double)x!).ToArray();
                Assert.Equal(counts, actual.HistogramCounts);
                Assert.Equal(edges.Length, actual.HistogramEdges.Count);
                for (int i = 0; i < edges.Length; i++)
                {
                    Assert.Equal(edges[i], actual.HistogramEdges[i], 1e-9 * Math.Max(1, Math.Abs(edges[i])));
                }

                continue;
            }

            Assert.True(got.ContainsKey(key), $"no '{key}' computed");
            double e = (double)value!;
            Assert.True(Math.Abs(got[key] - e) <= 1e-7 * Math.Max(1, Math.Abs(e)), $"{key}: {got[key]} vs numpy {e}");
        }
    }
}
