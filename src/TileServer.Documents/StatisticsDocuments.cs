using System.Globalization;
using System.Text.Json.Nodes;
using TileServer.Reading.Areas;
using TileServer.Reading.Statistics;

namespace TileServer.Documents;

/// <summary>
/// Statistics answers in TiTiler's shape: the request's features back as a FeatureCollection whose features carry
/// <c>properties.statistics</c> = <c>{band: {min, max, mean, count, sum, std, median, majority, minority, unique,
/// histogram, valid_percent, masked_pixels, valid_pixels, percentile_N...}}</c>, plus <c>properties.statistics_read</c>
/// saying which level was read, with which stride and how many cells. NaN (an area without data) is written as null.
/// </summary>
public static class StatisticsDocuments
{
    public static JsonObject FeatureCollection(GeoJsonAreas input, IReadOnlyList<AreaStatistics> results, bool coverageWeighted)
    {
        var collection = (JsonObject)input.FeatureCollection.DeepClone();
        var features = collection["features"]!.AsArray();
        for (int i = 0; i < features.Count; i++)
        {
            var properties = features[i]!["properties"]!.AsObject();
            properties["statistics"] = Bands(results[i]);
            properties["statistics_read"] = Read(results[i], coverageWeighted);
        }

        return collection;
    }

    public static JsonObject Bands(AreaStatistics result)
    {
        var bands = new JsonObject();
        foreach (var (name, s) in result.Bands)
        {
            var band = new JsonObject
            {
                ["min"] = Number(s.Min),
                ["max"] = Number(s.Max),
                ["mean"] = Number(s.Mean),
                ["count"] = Number(s.Count),
                ["sum"] = Number(s.Sum),
                ["std"] = Number(s.Std),
                ["median"] = Number(s.Median),
                ["majority"] = Number(s.Majority),
                ["minority"] = Number(s.Minority),
                ["unique"] = Number(s.Unique),
                ["histogram"] = new JsonArray(Array(s.HistogramCounts), Array(s.HistogramEdges)),
                ["valid_percent"] = Number(s.ValidPercent),
                ["masked_pixels"] = Number(s.MaskedPixels),
                ["valid_pixels"] = Number(s.ValidPixels),
            };
            foreach (var (p, v) in s.Percentiles)
            {
                band["percentile_" + p.ToString("0.###", CultureInfo.InvariantCulture)] = Number(v);
            }

            bands[name] = band;
        }

        return bands;
    }

    public static JsonObject Read(AreaStatistics result, bool coverageWeighted) => new()
    {
        ["level"] = result.LevelIndex,
        ["level_path"] = result.LevelPath,
        ["step"] = result.Step,
        ["width"] = result.Width,
        ["height"] = result.Height,
        ["selected_pixels"] = result.SelectedPixels,
        ["coverage_method"] = coverageWeighted ? "cover" : "center",
    };

    private static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static JsonArray Array(IReadOnlyList<double> values) => new(values.Select(Number).ToArray());
}
