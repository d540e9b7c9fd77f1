using System.Globalization;
using TileServer.Crs;
using TileServer.Reading.Statistics;
using Limits = TileServer.Reading.Statistics.StatisticsOptions;

namespace TileServer.Reading.Areas;

/// <summary>
/// The text forms of the area routes' parameters, parsed into values (pure functions; every failure a 400 naming the
/// parameter). <c>values(name)</c> gives a query parameter's values, empty when absent.
/// </summary>
public static class AreaParameters
{
    public static readonly string[] StatisticsNames =
        ["variable", "sel", "sel_method", "bidx", "expression", "nodata", "categorical", "c", "p", "histogram_bins", "histogram_range", "coverage_method", "coord_crs"];

    /// <summary>"minx,miny,maxx,maxy" with finite numbers.</summary>
    public static Extent Box(string text, string parameter)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var v = new double[4];
        if (parts.Length != 4 || parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]) && double.IsFinite(v[i])).Any(ok => !ok)
            || !(v[2] > v[0] && v[3] > v[1]))
        {
            throw new BadRequestException(parameter, $"{parameter} must be minx,miny,maxx,maxy with finite numbers, minx < maxx and miny < maxy, not '{text}'.");
        }

        return new Extent(v[0], v[1], v[2], v[3]);
    }

    /// <summary>"WIDTHxHEIGHT", each 1..<paramref name="max"/>.</summary>
    public static (int Width, int Height) Size(string text, int max)
    {
        var parts = text.Split('x');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int w) && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int h)
            && w >= 1 && h >= 1 && w <= max && h <= max)
        {
            return (w, h);
        }

        throw new BadRequestException("size", $"The size must be WIDTHxHEIGHT with each between 1 and {max}, not '{text}'.");
    }

    /// <summary>A CRS named by a code or URI (EPSG:3857, OGC:CRS84, http://www.opengis.net/def/crs/EPSG/0/32633); null when absent.</summary>
    public static CrsInfo? Crs(string? text, string parameter, CrsRegistry registry)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.Contains('[', StringComparison.Ordinal) || text.Contains('{', StringComparison.Ordinal))
        {
            throw new BadRequestException(parameter, $"{parameter} takes a CRS code or URI such as EPSG:3857, not WKT or PROJJSON.");
        }

        try
        {
            return registry.FromAny(text);
        }
        catch (CrsException e)
        {
            throw new BadRequestException(parameter, $"{parameter} '{text}' is not a CRS this server knows: {e.Message}");
        }
    }

    public static StatisticsOptions StatisticsOptions(Func<string, IReadOnlyList<string>> values)
    {
        string? First(string name) => values(name) is { Count: > 0 } v ? v[0] : null;
        var options = new StatisticsOptions
        {
            Categorical = First("categorical") is { } flag ? Flag(flag, "categorical") : null,
            Categories = Numbers(values("c"), "c"),
            Percentiles = Numbers(values("p"), "p"),
            CoverageWeighted = First("coverage_method") switch
            {
                null or "" or "center" or "centre" => false,
                "cover" => true,
                var other => throw new BadRequestException("coverage_method", $"coverage_method must be 'center' (cells whose centre is inside) or 'cover' (every touched cell, weighted by the covered fraction), not '{other}'."),
            },
        };
        if (options.Percentiles.Count > Limits.MaxPercentiles || options.Percentiles.Any(p => p is < 0 or > 100))
        {
            throw new BadRequestException("p", $"p takes at most {Limits.MaxPercentiles} percentiles between 0 and 100.");
        }

        if (First("histogram_bins") is { Length: > 0 } bins)
        {
            var edges = Numbers(values("histogram_bins"), "histogram_bins");
            const int maxBins = Limits.MaxHistogramBins;
            options = edges.Count == 1 && edges[0] is >= 1 and <= maxBins && edges[0] == Math.Floor(edges[0]) ? options with { HistogramBins = (int)edges[0] }
                : edges.Count >= 2 && edges.Count <= maxBins + 1 && edges.Zip(edges.Skip(1)).All(e => e.Second > e.First) ? options with { HistogramEdges = edges }
                : throw new BadRequestException("histogram_bins", $"histogram_bins is a bin count (1..{maxBins}) or increasing bin edges, not '{bins}'.");
        }

        if (First("histogram_range") is { Length: > 0 } range)
        {
            options = options with { HistogramRange = Stretch.TryParse(range, out var r) ? r : throw new BadRequestException("histogram_range", $"histogram_range must be 'min,max' with min < max, not '{range}'.") };
        }

        return options;
    }

    private static bool Flag(string text, string name) => text.ToLowerInvariant() switch
    {
        "" or "false" or "0" or "no" => false,
        "true" or "1" or "yes" => true,
        var other => throw new BadRequestException(name, $"{name} must be true or false, not '{other}'."),
    };

    private static List<double> Numbers(IReadOnlyList<string> texts, string name)
    {
        var values = new List<double>();
        foreach (var text in texts.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            values.Add(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)
                ? d
                : throw new BadRequestException(name, $"{name} takes numbers, not '{text}'."));
        }

        return values;
    }
}
