using System.Globalization;
using TileServer.Crs;
using TileServer.Reading;
using TileServer.Reading.Statistics;
using TileServer.Rendering;

namespace TileServer.Api.Endpoints.Areas;

/// <summary>Parsing for the area routes: boxes, sizes, CRS parameters, GeoJSON bodies and the statistics options.</summary>
public static class AreaQuery
{
    public static readonly string[] StatisticsParameters =
        ["variable", "sel", "sel_method", "bidx", "expression", "nodata", "categorical", "c", "p", "histogram_bins", "histogram_range", "coverage_method", "coord_crs"];

    /// <summary>"minx,miny,maxx,maxy" with finite numbers.</summary>
    public static Extent ParseBox(string text, string parameter)
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

    /// <summary>Splits "name.ext" at the last dot into the name and an image format.</summary>
    public static (string Name, ImageFormat Format) SplitFormat(string segment)
    {
        int dot = segment.LastIndexOf('.');
        if (dot <= 0 || !ImageFormats.TryParse(segment[(dot + 1)..], out var format))
        {
            throw new NotFoundException("Unknown format", $"'{segment}' must end in .png, .webp, .jpg or .npy.", "format");
        }

        return (segment[..dot], format);
    }

    /// <summary>"WIDTHxHEIGHT", each 1..<paramref name="max"/>.</summary>
    public static (int Width, int Height) ParseSize(string text, int max)
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
    public static CrsInfo? ParseCrs(IQueryCollection query, string parameter, CrsRegistry registry)
    {
        string? text = query[parameter].FirstOrDefault()?.Trim();
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

    public static StatisticsOptions ParseStatistics(IQueryCollection query)
    {
        var options = new StatisticsOptions
        {
            Categorical = query.ContainsKey("categorical") ? Flag(query, "categorical") : null,
            Categories = Numbers(query, "c"),
            Percentiles = Numbers(query, "p"),
            CoverageWeighted = query["coverage_method"].FirstOrDefault() switch
            {
                null or "" or "center" or "centre" => false,
                "cover" => true,
                var other => throw new BadRequestException("coverage_method", $"coverage_method must be 'center' (cells whose centre is inside) or 'cover' (every touched cell, weighted by the covered fraction), not '{other}'."),
            },
        };
        if (options.Percentiles.Count > StatisticsOptions.MaxPercentiles || options.Percentiles.Any(p => p is < 0 or > 100))
        {
            throw new BadRequestException("p", $"p takes at most {StatisticsOptions.MaxPercentiles} percentiles between 0 and 100.");
        }

        if (query["histogram_bins"].FirstOrDefault() is { Length: > 0 } bins)
        {
            var edges = Numbers(query, "histogram_bins");
            if (edges.Count == 1 && edges[0] is >= 1 and <= StatisticsOptions.MaxHistogramBins && edges[0] == Math.Floor(edges[0]))
            {
                options = options with { HistogramBins = (int)edges[0] };
            }
            else if (edges.Count >= 2 && edges.Count <= StatisticsOptions.MaxHistogramBins + 1 && edges.Zip(edges.Skip(1)).All(e => e.Second > e.First))
            {
                options = options with { HistogramEdges = edges };
            }
            else
            {
                throw new BadRequestException("histogram_bins", $"histogram_bins is a bin count (1..{StatisticsOptions.MaxHistogramBins}) or increasing bin edges, not '{bins}'.");
            }
        }

        if (query["histogram_range"].FirstOrDefault() is { Length: > 0 } range)
        {
            options = options with { HistogramRange = Stretch.TryParse(range, out var r) ? r : throw new BadRequestException("histogram_range", $"histogram_range must be 'min,max' with min < max, not '{range}'.") };
        }

        return options;
    }

    /// <summary>The request body, at most <paramref name="maxBytes"/> (GeoJSON: application/geo+json or application/json).</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        string? type = request.ContentType?.Split(';')[0].Trim();
        if (type is not null && !type.Equals("application/geo+json", StringComparison.OrdinalIgnoreCase) && !type.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new BadRequestException("Content-Type", $"The body must be GeoJSON (application/geo+json or application/json), not '{type}'.");
        }

        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.Length > 0 ? buffer.ToArray() : throw new BadRequestException("body", "The request has no body; send a GeoJSON Feature, FeatureCollection or (Multi)Polygon.");
    }

    private static TooLargeException TooLarge(int maxBytes)
        => new($"The body is larger than {maxBytes} bytes (TileServer:Tiles:MaxBodyBytes); simplify the geometry or send fewer features.", "body");

    private static bool Flag(IQueryCollection query, string name) => query[name].FirstOrDefault()?.ToLowerInvariant() switch
    {
        null or "" or "false" or "0" or "no" => false,
        "true" or "1" or "yes" => true,
        var other => throw new BadRequestException(name, $"{name} must be true or false, not '{other}'."),
    };

    private static IReadOnlyList<double> Numbers(IQueryCollection query, string name)
    {
        var values = new List<double>();
        foreach (var text in query[name].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            values.Add(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)
                ? d
                : throw new BadRequestException(name, $"{name} takes numbers, not '{text}'."));
        }

        return values;
    }
}
