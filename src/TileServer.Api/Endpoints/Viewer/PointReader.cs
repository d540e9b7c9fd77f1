using System.Globalization;
using System.Text.Json;
using TileServer.Api.Catalog;
using TileServer.Api.Errors;
using TileServer.Api.Rendering;
using TileServer.Crs;
using TileServer.GeoZarr;
using TileServer.Reading;
using TileServer.Tiling;

namespace TileServer.Api.Endpoints.Viewer;

/// <summary>A parsed <c>/point</c> request: where, which variables and which values of the other dimensions.</summary>
public sealed record PointRequest(double Lon, double Lat, IReadOnlyList<string> Variables, IReadOnlyList<KeyValuePair<string, string>> Selections, bool SelectNearest)
{
    public static PointRequest Parse(IQueryCollection query)
    {
        double lon = ParseCoordinate(query, "lon", -180, 360);
        double lat = ParseCoordinate(query, "lat", -90, 90);
        // The tile parameters' parsing gives variable/sel/sel_method the same syntax and errors as on tiles.
        var tile = TileQuery.Parse(query, int.MaxValue);
        return new PointRequest(lon, lat, tile.Variables, tile.Selections, tile.SelectNearest);
    }

    private static double ParseCoordinate(IQueryCollection query, string name, double min, double max)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0 || string.IsNullOrWhiteSpace(values[0]))
        {
            throw ApiProblemException.BadParameter(name, $"'{name}' is required (decimal degrees, WGS84).");
        }

        if (values.Count > 1)
        {
            throw ApiProblemException.BadParameter(name, $"'{name}' may be given only once.");
        }

        string text = values[0]!.Trim();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
        {
            throw ApiProblemException.BadParameter(name, $"'{name}' must be a number in decimal degrees, not '{text}'.");
        }

        if (v < min || v > max)
        {
            throw ApiProblemException.BadParameter(name, $"'{name}' must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, not {text}.");
        }

        return v;
    }
}

/// <summary>
/// Values at a point: for each variable, the finest level's cell containing the point, read once for every
/// combination of the other dimensions' values (or those <c>sel</c> fixes). Entries are bounded by
/// <see cref="MaxEntries"/> so one request cannot ask for a whole time series of a huge cube.
/// </summary>
public sealed class PointReader
{
    public const int MaxEntries = 10_000;
    private static readonly string[] BandDimNames = ["band", "bands", "channel", "channels", "spectral_band", "rgb"];

    private readonly CrsRegistry _crs;

    public PointReader(CrsRegistry crs)
    {
        _crs = crs;
    }

    /// <summary>Writes the API.md "Point response" JSON.</summary>
    public async Task WriteAsync(DatasetEntry entry, PointRequest request, Utf8JsonWriter json, CancellationToken cancellationToken)
    {
        var dataset = entry.Dataset!;
        var plan = Plan(dataset, request);

        json.WriteStartObject();
        json.WriteNumber("lon", request.Lon);
        json.WriteNumber("lat", request.Lat);
        json.WriteStartArray("values");
        var one = new float[1];
        foreach (var (variable, choices) in plan)
        {
            if (choices.Any(c => c.Length == 0))
            {
                continue;
            }

            var cell = CellAt(variable.Grid, request.Lon, request.Lat);
            var others = variable.OtherDimensions.ToArray();
            var indices = new long[others.Length];
            var position = new int[others.Length];
            while (true)
            {
                for (int i = 0; i < others.Length; i++)
                {
                    indices[i] = choices[i][position[i]];
                }

                json.WriteStartObject();
                json.WriteString("variable", variable.Name);
                json.WriteStartObject("dims");
                for (int i = 0; i < others.Length; i++)
                {
                    WriteDimensionValue(json, others[i], indices[i]);
                }

                json.WriteEndObject();
                if (cell is { } c)
                {
                    await variable.ReadPlaneAsync(indices, new PixelWindow(c.Row, c.Col, 1, 1), one, cancellationToken).ConfigureAwait(false);
                }

                if (cell is not null && float.IsFinite(one[0]))
                {
                    json.WriteNumber("value", (double)one[0]);
                }
                else
                {
                    json.WriteNull("value");
                }

                json.WriteEndObject();
                if (!Advance(position, choices))
                {
                    break;
                }
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>
    /// The cell containing lon/lat, or null outside the grid or outside the projection's domain: projections that
    /// clamp (web mercator beyond ±85.05°) would otherwise put a polar point into the edge row, so the projected
    /// point must map back to where it came from.
    /// </summary>
    private (long Row, long Col)? CellAt(GridGeometry grid, double lon, double lat)
    {
        if (grid.Crs.IsGeographic && grid.Crs.Code is "EPSG:4326" or "OGC:CRS84")
        {
            return PointSampler.CellAtLonLat(grid, lon, lat, _crs);
        }

        var wgs84 = _crs.FromCode("EPSG:4326");
        Span<double> xs = [lon];
        Span<double> ys = [lat];
        _crs.CreateTransform(wgs84, grid.Crs).Transform(xs, ys);
        double x = xs[0], y = ys[0];
        _crs.CreateTransform(grid.Crs, wgs84).Transform(xs, ys);
        double dLon = Math.Abs(xs[0] - lon) % 360;
        dLon = Math.Min(dLon, 360 - dLon);
        const double tolerance = 1e-6;
        if (!double.IsFinite(xs[0]) || !double.IsFinite(ys[0]) || Math.Abs(ys[0] - lat) > tolerance || (Math.Abs(lat) < 89.999 && dLon > tolerance))
        {
            return null;
        }

        return PointSampler.CellAt(grid, x, y);
    }

    /// <summary>Variables and, per other dimension, the indices to read; validates everything before any read.</summary>
    public static IReadOnlyList<(GeoVariable Variable, long[][] Choices)> Plan(GeoDataset dataset, PointRequest request)
    {
        var names = request.Variables.Count > 0 ? request.Variables : dataset.VariableNames;
        var variables = new List<GeoVariable>();
        foreach (var name in names)
        {
            variables.Add(dataset.Finest.Variables.GetValueOrDefault(name)
                ?? throw ApiProblemException.NotFound("Unknown variable", $"Dataset '{dataset.Id}' has no variable '{name}'; it has: {string.Join(", ", dataset.VariableNames)}.", "variable"));
        }

        foreach (var (dim, _) in request.Selections)
        {
            if (!variables.Any(v => v.OtherDimensions.Any(d => d.Name == dim)))
            {
                throw ApiProblemException.BadParameter("sel", $"Unknown dimension '{dim}' in sel; the dimensions besides y/x are: {string.Join(", ", variables.SelectMany(v => v.OtherDimensions.Select(d => d.Name)).Distinct())}.");
            }
        }

        var plan = new List<(GeoVariable, long[][])>();
        long total = 0;
        foreach (var variable in variables)
        {
            var others = variable.OtherDimensions.ToArray();
            var selected = others.Select(dim => request.Selections.Where(s => s.Key == dim.Name).Select(s => s.Value).FirstOrDefault()).ToArray();
            long count = 1;
            for (int i = 0; i < others.Length; i++)
            {
                count = selected[i] is not null ? count : Math.Min(MaxEntries + 1L, count * others[i].Size);
            }

            total += count;
            if (total > MaxEntries)
            {
                throw ApiProblemException.BadParameter("sel", $"The point query would return more than {MaxEntries} values; narrow it with variable= or sel=dim=value (dimensions: {string.Join(", ", variables.SelectMany(v => v.OtherDimensions.Select(d => $"{d.Name} ({d.Size})")).Distinct())}).");
            }

            var choices = new long[others.Length][];
            for (int i = 0; i < others.Length; i++)
            {
                choices[i] = selected[i] is { } sel
                    ? [BandSelection.IndexOf(others[i], sel, request.SelectNearest)]
                    : [.. Enumerable.Range(0, (int)others[i].Size).Select(k => (long)k)];
            }

            plan.Add((variable, choices));
        }

        return plan;
    }

    private static bool Advance(int[] position, long[][] choices)
    {
        for (int i = position.Length - 1; i >= 0; i--)
        {
            if (++position[i] < choices[i].Length)
            {
                return true;
            }

            position[i] = 0;
        }

        return false;
    }

    /// <summary>Time as ISO 8601, other coordinates as numbers; without coordinates a band's 1-based number, else the 0-based index (what sel takes).</summary>
    private static void WriteDimensionValue(Utf8JsonWriter json, DimensionInfo dim, long index)
    {
        if (dim.IsTime && dim.Labels is { } labels)
        {
            json.WriteString(dim.Name, labels[(int)index]);
        }
        else if (dim.Values is { } values)
        {
            json.WriteNumber(dim.Name, values[(int)index]);
        }
        else if (BandDimNames.Contains(dim.Name, StringComparer.OrdinalIgnoreCase))
        {
            json.WriteNumber(dim.Name, index + 1);
        }
        else
        {
            json.WriteNumber(dim.Name, index);
        }
    }
}
