using System.Globalization;
using System.Text.Json.Nodes;
using TileServer.Crs;
using TileServer.GeoZarr.Conventions;
using TileServer.Zarr;

namespace TileServer.GeoZarr.Grids;

/// <summary>What the grid of one variable is read from: its names, attributes, the level's arrays and its y/x size.</summary>
internal sealed record GridSource(string Variable, JsonObject Attributes, JsonObject GroupAttributes, JsonObject RootAttributes, LevelHint Hint,
    Dictionary<string, ZarrArray> Arrays, string YName, string XName, int Height, int Width, AuxiliaryLonLat? LonLat,
    IReadOnlyDictionary<string, JsonObject>? Unreadable = null);

/// <summary>
/// Reads a variable's georeferencing into a <see cref="GridGeometry"/> of the kind its metadata describes, in this
/// order: a stated transform (<c>spatial:transform</c>, a grid mapping's <c>GeoTransform</c>) is a regular grid;
/// 1-D coordinates on both spatial dimensions are a regular grid when evenly spaced, else an irregular one; 2-D
/// longitude/latitude coordinates (CF <c>coordinates</c>) are a curvilinear grid. So 2-D latitude/longitude beside
/// rotated-pole or projected 1-D coordinates are what CF calls them: auxiliary, not the grid.
/// </summary>
internal sealed class GridReader
{
    private readonly CrsRegistry _crs;

    public GridReader(CrsRegistry crs)
    {
        _crs = crs;
    }

    /// <param name="curvilinear">Curvilinear grids already built in this level, by longitude and latitude array: variables on the same coordinates share one index.</param>
    public async Task<GridGeometry> ReadAsync(GridSource s, GeoDatasetOptions options, List<string> notes, Dictionary<(string, string), CurvilinearGrid> curvilinear, CancellationToken ct)
    {
        var xCoord = CoordinateAxes.Find(s.Arrays, s.XName);
        var yCoord = CoordinateAxes.Find(s.Arrays, s.YName);
        var stated = StatedTransform(s);
        if (stated is null && (xCoord is null || yCoord is null) && s.LonLat is { } lonLat)
        {
            var geographic = CurvilinearCrs(s, options, notes);
            if (!curvilinear.TryGetValue((lonLat.Longitude, lonLat.Latitude), out var cells))
            {
                cells = await CurvilinearCoordinates.ReadAsync(s, lonLat, options.MaxGridIndexBytes, ct).ConfigureAwait(false);
                curvilinear[(lonLat.Longitude, lonLat.Latitude)] = cells;
            }

            return GridGeometry.Curvilinear(geographic, cells);
        }

        var crs = ResolveCrs(s, options, notes);
        if (stated is { } st)
        {
            CoordinateAxes.CheckUsable(st.Transform, s.Variable, st.Source);
            if (xCoord is not null)
            {
                await CoordinateAxes.CheckAgainstTransformAsync(xCoord, s.XName, isX: true, st.Transform, crs, s.Variable, st.Source, ct).ConfigureAwait(false);
            }

            if (yCoord is not null)
            {
                await CoordinateAxes.CheckAgainstTransformAsync(yCoord, s.YName, isX: false, st.Transform, crs, s.Variable, st.Source, ct).ConfigureAwait(false);
            }

            return new GridGeometry(crs, st.Transform, s.Width, s.Height);
        }

        if (xCoord is not null && yCoord is not null)
        {
            var (x0, dx, xAxis) = await CoordinateAxes.AxisAsync(xCoord, s.XName, ct).ConfigureAwait(false);
            var (y0, dy, yAxis) = await CoordinateAxes.AxisAsync(yCoord, s.YName, ct).ConfigureAwait(false);
            var t = new AffineTransform(dx, 0, x0 - (dx / 2), 0, dy, y0 - (dy / 2));
            var grid = GridGeometry.Rectilinear(crs, t, xAxis, yAxis, s.Width, s.Height);
            CoordinateAxes.CheckUsable(grid.Transform, s.Variable, $"the coordinates '{s.XName}' and '{s.YName}'");
            return grid;
        }

        throw new GeoDatasetException($"'{s.Variable}': no georeferencing found (spatial:transform, a GeoTransform on the grid mapping, 1-D '{s.XName}'/'{s.YName}' coordinates, or 2-D longitude/latitude named by its coordinates attribute)");
    }

    /// <summary>The first transform the metadata states: <c>spatial:transform</c> or a grid mapping's <c>GeoTransform</c>.</summary>
    private static (AffineTransform Transform, string Source)? StatedTransform(GridSource s)
        => GeoZarrConvention.Transform(s.Hint, s.Attributes, s.GroupAttributes, s.Variable, s.Height, s.Width) is { } st
            ? (st, "spatial:transform")
            : CfConvention.GeoTransform(s.Attributes, s.Arrays, s.Unreadable) is { } gt ? (gt.Transform, $"the GeoTransform of '{gt.Mapping}'") : null;

    private CrsInfo ResolveCrs(GridSource s, GeoDatasetOptions options, List<string> notes)
    {
        if (options.Crs is { Length: > 0 } configured)
        {
            return _crs.FromAny(configured);
        }

        var found = GeoZarrConvention.Crs(_crs, s.Attributes, s.GroupAttributes, s.RootAttributes) ?? CfConvention.Crs(_crs, s.Variable, s.Attributes, s.Arrays, notes, s.Unreadable);
        if (found is not null)
        {
            return found;
        }

        if (s.Hint.CrsCode is { Length: > 0 } code)
        {
            return _crs.FromAny(code);
        }

        return CfConvention.AssumedLonLat(_crs, s.Variable, s.YName, s.XName, s.Arrays, notes)
            ?? throw new CrsException($"no CRS found (looked for proj:code/proj:wkt2/proj:projjson, a CF grid_mapping variable, a crs attribute and lon/lat coordinates); set Crs in the dataset configuration");
    }

    /// <summary>
    /// The CRS of 2-D longitude/latitude: a geographic CRS the configuration or the metadata states, else WGS 84 (with a
    /// note). A projected grid mapping beside them describes other coordinates, not these.
    /// </summary>
    private CrsInfo CurvilinearCrs(GridSource s, GeoDatasetOptions options, List<string> notes)
    {
        var stated = options.Crs is { Length: > 0 } configured ? _crs.FromAny(configured)
            : GeoZarrConvention.Crs(_crs, s.Attributes, s.GroupAttributes, s.RootAttributes) ?? CfConvention.Crs(_crs, s.Variable, s.Attributes, s.Arrays, [], s.Unreadable);
        if (stated is { IsGeographic: true })
        {
            return stated;
        }

        if (options.Crs is { Length: > 0 })
        {
            throw new GeoDatasetException($"'{s.Variable}' is on a curvilinear grid of longitudes/latitudes ('{s.LonLat!.Longitude}', '{s.LonLat.Latitude}'); the configured CRS '{options.Crs}' is not geographic");
        }

        notes.Add($"'{s.Variable}' is on a curvilinear grid: cell centres from '{s.LonLat!.Longitude}'/'{s.LonLat.Latitude}', taken as WGS 84 longitude/latitude");
        return _crs.FromCode("EPSG:4326");
    }
}

/// <summary>Reads 2-D longitude/latitude arrays into a <see cref="CurvilinearGrid"/>, within the per-level byte budget.</summary>
internal static class CurvilinearCoordinates
{
    public static async Task<CurvilinearGrid> ReadAsync(GridSource s, AuxiliaryLonLat lonLat, long maxBytes, CancellationToken ct)
    {
        long cells = (long)s.Width * s.Height;
        string names = $"'{lonLat.Longitude}'/'{lonLat.Latitude}'";
        if (cells * CurvilinearGrid.CentreBytesPerCell > maxBytes)
        {
            throw new GeoDatasetException(string.Create(CultureInfo.InvariantCulture,
                $"'{s.Variable}': the curvilinear coordinates {names} have {s.Height} × {s.Width} cells, whose centres alone need {cells * CurvilinearGrid.CentreBytesPerCell / 1048576.0:0.#} MB, more than the {maxBytes / 1048576.0:0.#} MB a level's cell index may take (MaxGridIndexBytes)"));
        }

        if (s.Width < 2 || s.Height < 2)
        {
            throw new GeoDatasetException($"'{s.Variable}': a curvilinear grid needs at least 2 × 2 cells; {names} give {s.Height} × {s.Width}");
        }

        var lon = await ReadPlaneAsync(s, lonLat.Longitude, lonLat, ct).ConfigureAwait(false);
        var lat = await ReadPlaneAsync(s, lonLat.Latitude, lonLat, ct).ConfigureAwait(false);
        try
        {
            return CurvilinearGrid.Create(lon, lat, s.Width, s.Height, maxBytes);
        }
        catch (GridException ex)
        {
            throw new GeoDatasetException($"'{s.Variable}': the curvilinear coordinates {names}: {ex.Message}" + (ex.Message.Contains("allowed", StringComparison.Ordinal) ? " (MaxGridIndexBytes)" : ""), ex);
        }
    }

    /// <summary>One 2-D coordinate array, row-major in the variable's (row, column) order, its fill values as NaN.</summary>
    private static async Task<double[]> ReadPlaneAsync(GridSource s, string name, AuxiliaryLonLat lonLat, CancellationToken ct)
    {
        var arr = s.Arrays[name];
        var shape = arr.Metadata.Shape;
        bool transposed = arr.Metadata.DimensionNames![0] != lonLat.RowDimension;
        long rows = transposed ? shape[1] : shape[0], cols = transposed ? shape[0] : shape[1];
        if (rows != s.Height || cols != s.Width)
        {
            throw new GeoDatasetException($"'{s.Variable}': coordinate '{name}' is {rows} × {cols} but the variable's grid is {s.Height} × {s.Width}");
        }

        var values = new double[rows * cols];
        await arr.ReadAsync([DimSlice.All(shape[0]), DimSlice.All(shape[1])], values.AsMemory(), ct).ConfigureAwait(false);
        var attrs = arr.Metadata.Attributes;
        var fills = new List<double>();
        if (attrs.GetDouble("_FillValue") is { } fv)
        {
            fills.Add(fv);
        }

        fills.AddRange(attrs.GetDoubles("missing_value") ?? []);
        for (int k = 0; k < values.Length && fills.Count > 0; k++)
        {
            if (fills.Contains(values[k]))
            {
                values[k] = double.NaN;
            }
        }

        if (!transposed)
        {
            return values;
        }

        var t = new double[values.Length];
        for (long r = 0; r < rows; r++)
        {
            for (long c = 0; c < cols; c++)
            {
                t[(r * cols) + c] = values[(c * rows) + r];
            }
        }

        return t;
    }
}
