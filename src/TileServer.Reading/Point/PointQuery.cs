using TileServer.Crs;
using TileServer.GeoZarr;
using TileServer.Reading.Expressions;
using TileServer.Reading.Selection;
using TileServer.Tiling;

namespace TileServer.Reading.Point;

/// <summary>
/// Values at a point: for each variable, the finest level's cell containing the point, read once for every
/// combination of the other dimensions' values (or those the selection fixes), bounded in entries so one request
/// cannot ask for a whole time series of a huge cube.
/// </summary>
internal static class PointQuery
{
    public static async ValueTask<PointValues> ReadAsync(GeoDataset dataset, double lon, double lat, ReadRequest request, int maxEntries, CrsRegistry crs, CancellationToken cancellationToken)
    {
        var plan = Plan(dataset, request, maxEntries);
        var entries = new List<PointEntry>();
        var one = new float[1];
        foreach (var (variable, choices) in plan)
        {
            if (choices.Any(c => c.Length == 0))
            {
                continue;
            }

            var cell = CellAt(variable.Grid, lon, lat, crs);
            var others = variable.OtherDimensions.ToArray();
            var indices = new long[others.Length];
            var position = new int[others.Length];
            do
            {
                for (int i = 0; i < others.Length; i++)
                {
                    indices[i] = choices[i][position[i]];
                }

                double? value = null;
                if (cell is { } c)
                {
                    await variable.ReadPlaneAsync(indices, new PixelWindow(c.Row, c.Col, 1, 1), one, cancellationToken).ConfigureAwait(false);
                    value = float.IsFinite(one[0]) ? one[0] : null;
                    if (value is { } v && request.Nodata is { } nodata && (float)nodata == (float)v)
                    {
                        value = null;
                    }
                }

                entries.Add(new PointEntry(variable.Name, others.Select((d, i) => DimensionValueOf(d, indices[i])).ToArray(), value));
            }
            while (Advance(position, choices));
        }

        return new PointValues(lon, lat, entries);
    }

    /// <summary>
    /// An expression at a point: each plane it names is read at the finest level's cell containing the point, then
    /// every output is evaluated there; one entry per output band, named by its text.
    /// </summary>
    public static async ValueTask<PointValues> ReadExpressionAsync(GeoDataset dataset, double lon, double lat, BoundExpression expression, double? nodata, CrsRegistry crs, CancellationToken cancellationToken)
    {
        var inputs = new float[expression.Sources.Count];
        var one = new float[1];
        for (int i = 0; i < inputs.Length; i++)
        {
            var source = expression.Sources[i];
            var variable = BandSelection.RequireVariable(dataset, source.Variable);
            inputs[i] = float.NaN;
            if (CellAt(variable.Grid, lon, lat, crs) is { } c)
            {
                await variable.ReadPlaneAsync(source.OtherIndices, new PixelWindow(c.Row, c.Col, 1, 1), one, cancellationToken).ConfigureAwait(false);
                inputs[i] = nodata is { } nd && (float)nd == one[0] ? float.NaN : one[0];
            }
        }

        var entries = new List<PointEntry>();
        for (int o = 0; o < expression.Outputs.Count; o++)
        {
            float v = ExpressionEvaluator.EvaluateAt(expression.Outputs[o], inputs);
            entries.Add(new PointEntry(expression.OutputNames[o], [], float.IsNaN(v) ? null : v));
        }

        return new PointValues(lon, lat, entries);
    }

    /// <summary>Variables and, per other dimension, the indices to read; validates everything before any read.</summary>
    private static List<(GeoVariable Variable, long[][] Choices)> Plan(GeoDataset dataset, ReadRequest request, int maxEntries)
    {
        var names = request.Variables.Count > 0 ? request.Variables : dataset.VariableNames;
        var variables = names.Select(n => BandSelection.RequireVariable(dataset, n)).ToList();
        BandSelection.CheckSelectedDimensions(variables, request.Selections);
        var plan = new List<(GeoVariable, long[][])>();
        long total = 0;
        foreach (var variable in variables)
        {
            var others = variable.OtherDimensions.ToArray();
            var selected = others.Select(dim => BandSelection.Selected(request.Selections, dim.Name)).ToArray();
            long count = 1;
            for (int i = 0; i < others.Length; i++)
            {
                count = selected[i] is not null ? count : Math.Min(maxEntries + 1L, count * others[i].Size);
            }

            total += count;
            if (total > maxEntries)
            {
                throw new TooLargeException($"The point query would return more than {maxEntries} values; narrow it with variable= or sel=dim=value (dimensions: {string.Join(", ", variables.SelectMany(v => v.OtherDimensions.Select(d => $"{d.Name} ({d.Size})")).Distinct())}).", "sel");
            }

            var choices = new long[others.Length][];
            for (int i = 0; i < others.Length; i++)
            {
                choices[i] = selected[i] is { } sel
                    ? [DimensionIndex.Of(others[i], sel, request.SelectNearest)]
                    : [.. Enumerable.Range(0, (int)others[i].Size).Select(k => (long)k)];
            }

            plan.Add((variable, choices));
        }

        return plan;
    }

    /// <summary>
    /// The cell containing lon/lat, or null outside the grid or outside the projection's domain: projections that
    /// clamp (web mercator beyond ±85.05°) would otherwise put a polar point into the edge row, so the projected
    /// point must map back to where it came from.
    /// </summary>
    internal static (long Row, long Col)? CellAt(GridGeometry grid, double lon, double lat, CrsRegistry crs)
    {
        if (grid.Crs.IsGeographic && grid.Crs.Code is "EPSG:4326" or "OGC:CRS84")
        {
            return PointSampler.CellAtLonLat(grid, lon, lat, crs);
        }

        var wgs84 = crs.FromCode("EPSG:4326");
        Span<double> xs = [lon];
        Span<double> ys = [lat];
        crs.CreateTransform(wgs84, grid.Crs).Transform(xs, ys);
        double x = xs[0], y = ys[0];
        crs.CreateTransform(grid.Crs, wgs84).Transform(xs, ys);
        double dLon = Math.Abs(xs[0] - lon) % 360;
        dLon = Math.Min(dLon, 360 - dLon);
        const double tolerance = 1e-6;
        if (!double.IsFinite(xs[0]) || !double.IsFinite(ys[0]) || Math.Abs(ys[0] - lat) > tolerance || (Math.Abs(lat) < 89.999 && dLon > tolerance))
        {
            return null;
        }

        return PointSampler.CellAt(grid, x, y);
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
    private static DimensionValue DimensionValueOf(DimensionInfo dim, long index)
    {
        if (dim.IsTime && dim.Labels is { } labels)
        {
            return new DimensionValue(dim.Name, labels[(int)index], null);
        }

        if (dim.Values is { } values)
        {
            return new DimensionValue(dim.Name, null, values[(int)index]);
        }

        return new DimensionValue(dim.Name, null, BandSelection.IsBandDimension(dim.Name) ? index + 1 : index);
    }
}
