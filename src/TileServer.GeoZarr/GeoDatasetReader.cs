using System.Globalization;
using System.Text.Json.Nodes;
using TileServer.Crs;
using TileServer.Zarr;

namespace TileServer.GeoZarr;

/// <summary>
/// Turns a Zarr hierarchy into a <see cref="GeoDataset"/>: finds the pyramid levels, the data variables, their
/// spatial dimensions, CRS, georeferencing, CF decoding and coordinate values. Never lists the store: members
/// come from consolidated metadata or from the names the metadata (or the catalog) gives.
/// </summary>
public sealed class GeoDatasetReader
{
    private static readonly string[] XNames = ["x", "lon", "longitude", "easting", "rlon", "nav_lon", "xc", "projection_x_coordinate"];
    private static readonly string[] YNames = ["y", "lat", "latitude", "northing", "rlat", "nav_lat", "yc", "projection_y_coordinate"];

    private readonly CrsRegistry _crs;

    public GeoDatasetReader(CrsRegistry crs)
    {
        _crs = crs;
    }

    public async Task<GeoDataset> OpenAsync(ZarrHierarchy zarr, GeoDatasetOptions options, CancellationToken cancellationToken = default)
    {
        var notes = new List<string>();
        var root = await zarr.GetGroupAsync("", cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            var rootArray = await zarr.GetArrayAsync("", cancellationToken).ConfigureAwait(false)
                ?? throw new GeoDatasetException($"no Zarr group or array at the root of '{zarr.Store.Location}'");
            var single = await OpenLevelAsync(zarr, new LevelHint(""), new JsonObject(), options, notes, rootArray, cancellationToken).ConfigureAwait(false);
            return Build(options, new JsonObject(), [single], "none", null, null, notes);
        }

        var rootAttrs = root.Attributes;
        var layout = MultiscaleLayout.Parse(rootAttrs, zarr.ListChildren(""));
        string kind = layout?.Kind ?? "none";
        IReadOnlyList<LevelHint> hints;
        if (layout is not null)
        {
            hints = layout.Levels;
        }
        else if (DatatreeLevels(zarr) is { Count: > 0 } numbered)
        {
            hints = numbered;
            kind = "datatree";
        }
        else
        {
            hints = [new LevelHint("")];
        }

        var levels = new List<DatasetLevel>();
        foreach (var hint in hints)
        {
            if (hint.Path.Length > 0 && await zarr.GetGroupAsync(hint.Path, cancellationToken).ConfigureAwait(false) is null)
            {
                throw new GeoDatasetException($"pyramid level '{hint.Path}' named by the multiscales metadata is missing from the store");
            }

            levels.Add(await OpenLevelAsync(zarr, hint, rootAttrs, options, notes, null, cancellationToken).ConfigureAwait(false));
        }

        levels.Sort((a, b) => Math.Min(a.Grid.ResolutionX, a.Grid.ResolutionY).CompareTo(Math.Min(b.Grid.ResolutionX, b.Grid.ResolutionY)));
        return Build(options, rootAttrs, levels, kind, layout?.TileMatrixSetId, layout?.InlineTileMatrixSet, notes);
    }

    private static GeoDataset Build(GeoDatasetOptions options, JsonObject rootAttrs, List<DatasetLevel> levels, string kind, string? tmsId, JsonObject? inlineTms, List<string> notes)
    {
        var finest = levels[0];
        if (finest.Variables.Count == 0)
        {
            throw new GeoDatasetException("no georeferenced data variable found" + (notes.Count > 0 ? ": " + string.Join("; ", notes) : ""));
        }

        return new GeoDataset
        {
            Id = options.Id,
            Title = options.Title ?? rootAttrs.GetString("title") ?? options.Id,
            Description = rootAttrs.GetString("summary") ?? rootAttrs.GetString("description"),
            Attribution = options.Attribution ?? rootAttrs.GetString("attribution"),
            Levels = levels,
            VariableNames = [.. finest.Variables.Keys],
            MultiscaleLayout = kind,
            TileMatrixSetId = tmsId,
            InlineTileMatrixSet = inlineTms,
            Attributes = rootAttrs,
            Notes = notes.Distinct().ToList(),
        };
    }

    private static List<LevelHint> DatatreeLevels(ZarrHierarchy zarr)
    {
        var groups = zarr.ListChildren("").Where(c => !c.IsArray && int.TryParse(c.Name, NumberStyles.None, CultureInfo.InvariantCulture, out _)).ToList();
        return groups.Count >= 2 ? groups.OrderBy(g => int.Parse(g.Name, CultureInfo.InvariantCulture)).Select(g => new LevelHint(g.Name)).ToList() : [];
    }

    private async Task<DatasetLevel> OpenLevelAsync(ZarrHierarchy zarr, LevelHint hint, JsonObject rootAttrs, GeoDatasetOptions options, List<string> notes, ZarrArray? rootArray, CancellationToken ct)
    {
        string prefix = hint.Path.Length == 0 ? "" : hint.Path + "/";
        var group = hint.Path.Length == 0 ? null : await zarr.GetGroupAsync(hint.Path, ct).ConfigureAwait(false);
        var groupAttrs = group?.Attributes ?? (hint.Path.Length == 0 ? rootAttrs : new JsonObject());

        var arrays = new Dictionary<string, ZarrArray>(StringComparer.Ordinal);
        if (rootArray is not null)
        {
            arrays[options.Variables?.FirstOrDefault() ?? "data"] = rootArray;
        }
        else
        {
            var names = zarr.ListChildren(hint.Path).Where(c => c.IsArray).Select(c => c.Name).ToList();
            if (names.Count == 0)
            {
                if (options.Variables is not { Count: > 0 })
                {
                    throw new GeoDatasetException($"the store has no consolidated metadata at '{(hint.Path.Length == 0 ? "/" : hint.Path)}' and the catalog names no variables; consolidate the store or list its variables in the dataset configuration");
                }

                names = [.. options.Variables];
            }

            foreach (var name in names)
            {
                var arr = await zarr.GetArrayAsync(prefix + name, ct).ConfigureAwait(false);
                if (arr is not null)
                {
                    arrays[name] = arr;
                }
                else if (options.Variables?.Contains(name) == true)
                {
                    throw new GeoDatasetException($"variable '{name}' named in the configuration is not in level '{hint.Path}'");
                }
            }

            // Coordinates and grid mappings the variables name but that consolidated listing did not give us.
            foreach (var extra in arrays.Values.SelectMany(ReferencedNames).Distinct().Where(n => !arrays.ContainsKey(n)).ToList())
            {
                if (await zarr.GetArrayAsync(prefix + extra, ct).ConfigureAwait(false) is { } arr)
                {
                    arrays[extra] = arr;
                }
            }
        }

        var gridMappings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var arr in arrays.Values)
        {
            if (GridMappingName(arr.Metadata.Attributes) is { } gm)
            {
                gridMappings.Add(gm);
            }
        }

        bool IsCoordinate(string name, ZarrArray a) => a.Metadata.Shape.Count == 1 && (a.Metadata.DimensionNames?[0] ?? name) == name;

        var variables = new Dictionary<string, GeoVariable>(StringComparer.Ordinal);
        GridGeometry? levelGrid = null;
        var wanted = options.Variables is { Count: > 0 } ? new HashSet<string>(options.Variables) : null;
        foreach (var (name, arr) in arrays.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (arr.Metadata.Shape.Count < 2 || IsCoordinate(name, arr) || gridMappings.Contains(name) || (wanted is not null && !wanted.Contains(name)))
            {
                continue;
            }

            try
            {
                var variable = await OpenVariableAsync(name, arr, arrays, hint, groupAttrs, rootAttrs, options, notes, ct).ConfigureAwait(false);
                if (variable is null)
                {
                    continue;
                }

                variables[name] = variable;
                levelGrid ??= variable.Grid;
            }
            catch (CrsException ex)
            {
                throw new GeoDatasetException($"variable '{name}' in level '{hint.Path}': {ex.Message}", ex);
            }
        }

        if (levelGrid is null)
        {
            throw new GeoDatasetException($"level '{(hint.Path.Length == 0 ? "/" : hint.Path)}' holds no georeferenced data variable" + (notes.Count > 0 ? " (" + string.Join("; ", notes) + ")" : ""));
        }

        return new DatasetLevel { Path = hint.Path, Grid = levelGrid, Variables = variables, TileMatrixId = hint.TileMatrixId };
    }

    private static IEnumerable<string> ReferencedNames(ZarrArray arr)
    {
        var attrs = arr.Metadata.Attributes;
        if (GridMappingName(attrs) is { } gm)
        {
            yield return gm;
        }

        foreach (var dim in arr.Metadata.DimensionNames ?? [])
        {
            yield return dim;
        }

        foreach (var c in (attrs.GetString("coordinates") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            yield return c;
        }
    }

    /// <summary>CF <c>grid_mapping</c> is a name, or "name: coords" pairs; the first name is the mapping.</summary>
    private static string? GridMappingName(JsonObject attrs)
        => attrs.GetString("grid_mapping") is { Length: > 0 } gm ? gm.Split(':', ' ')[0] : null;

    private async Task<GeoVariable?> OpenVariableAsync(string name, ZarrArray arr, Dictionary<string, ZarrArray> arrays, LevelHint hint,
        JsonObject groupAttrs, JsonObject rootAttrs, GeoDatasetOptions options, List<string> notes, CancellationToken ct)
    {
        var meta = arr.Metadata;
        var attrs = meta.Attributes;
        int rank = meta.Shape.Count;
        var dims = meta.DimensionNames?.ToArray() ?? Enumerable.Range(0, rank).Select(i => "dim_" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (meta.DimensionNames is null)
        {
            notes.Add($"'{name}' has no dimension names; taking its last two dimensions as y, x");
        }

        var (yDim, xDim) = FindSpatialDims(dims, attrs, groupAttrs, rootAttrs, arrays);
        if (yDim < 0)
        {
            notes.Add($"'{name}' skipped: cannot tell which dimensions are y and x");
            return null;
        }

        int height = checked((int)meta.Shape[yDim]);
        int width = checked((int)meta.Shape[xDim]);

        var crs = ResolveCrs(name, attrs, groupAttrs, rootAttrs, hint, arrays, dims[yDim], dims[xDim], options, notes);
        var transform = await ResolveTransformAsync(name, attrs, groupAttrs, hint, arrays, dims[yDim], dims[xDim], height, width, ct).ConfigureAwait(false);
        var grid = new GridGeometry(crs, transform, width, height);

        var dimensions = new DimensionInfo[rank];
        for (int i = 0; i < rank; i++)
        {
            string? role = i == yDim ? "y" : i == xDim ? "x" : null;
            dimensions[i] = role is null
                ? await DescribeDimensionAsync(dims[i], meta.Shape[i], arrays, ct).ConfigureAwait(false)
                : new DimensionInfo { Name = dims[i], Size = meta.Shape[i], SpatialRole = role, Units = arrays.TryGetValue(dims[i], out var c) ? c.Metadata.Attributes.GetString("units") : null };
        }

        return new GeoVariable(name, arr, dimensions, yDim, xDim, grid, BuildCf(meta, options));
    }

    private static (int Y, int X) FindSpatialDims(string[] dims, JsonObject attrs, JsonObject groupAttrs, JsonObject rootAttrs, Dictionary<string, ZarrArray> arrays)
    {
        foreach (var source in new[] { attrs, groupAttrs, rootAttrs })
        {
            if (source.GetStrings("spatial:dimensions") is { Length: 2 } sd)
            {
                int y = Array.IndexOf(dims, sd[0]), x = Array.IndexOf(dims, sd[1]);
                if (y >= 0 && x >= 0)
                {
                    return (y, x);
                }
            }
        }

        int yi = -1, xi = -1;
        for (int i = 0; i < dims.Length; i++)
        {
            var role = arrays.TryGetValue(dims[i], out var coord) ? AxisRole(coord.Metadata.Attributes) : null;
            role ??= XNames.Contains(dims[i], StringComparer.OrdinalIgnoreCase) ? "x" : YNames.Contains(dims[i], StringComparer.OrdinalIgnoreCase) ? "y" : null;
            if (role == "x" && xi < 0)
            {
                xi = i;
            }
            else if (role == "y" && yi < 0)
            {
                yi = i;
            }
        }

        if (yi >= 0 && xi >= 0)
        {
            return (yi, xi);
        }

        return dims.Length >= 2 && !dims.Any(d => d.StartsWith("dim_", StringComparison.Ordinal)) && yi < 0 && xi < 0
            ? (-1, -1)
            : (dims.Length - 2, dims.Length - 1);
    }

    private static string? AxisRole(JsonObject coordAttrs)
    {
        var axis = coordAttrs.GetString("axis");
        if (axis is "X" or "x")
        {
            return "x";
        }

        if (axis is "Y" or "y")
        {
            return "y";
        }

        var sn = coordAttrs.GetString("standard_name") ?? "";
        if (sn is "longitude" or "projection_x_coordinate" or "grid_longitude")
        {
            return "x";
        }

        if (sn is "latitude" or "projection_y_coordinate" or "grid_latitude")
        {
            return "y";
        }

        var units = coordAttrs.GetString("units") ?? "";
        return units.StartsWith("degrees_east", StringComparison.OrdinalIgnoreCase) || units.Equals("degree_east", StringComparison.OrdinalIgnoreCase) ? "x"
            : units.StartsWith("degrees_north", StringComparison.OrdinalIgnoreCase) || units.Equals("degree_north", StringComparison.OrdinalIgnoreCase) ? "y"
            : null;
    }

    private CrsInfo ResolveCrs(string name, JsonObject attrs, JsonObject groupAttrs, JsonObject rootAttrs, LevelHint hint,
        Dictionary<string, ZarrArray> arrays, string yName, string xName, GeoDatasetOptions options, List<string> notes)
    {
        if (options.Crs is { Length: > 0 } configured)
        {
            return _crs.FromAny(configured);
        }

        foreach (var source in new[] { attrs, groupAttrs, rootAttrs })
        {
            if (FromProjAttributes(source) is { } fromProj)
            {
                return fromProj;
            }
        }

        if (GridMappingName(attrs) is { } gm && arrays.TryGetValue(gm, out var gmArray) && _crs.FromCfGridMapping(gmArray.Metadata.Attributes) is { } fromCf)
        {
            return fromCf;
        }

        if (attrs.GetString("crs") is { Length: > 0 } crsText)
        {
            return _crs.FromAny(crsText);
        }

        foreach (var candidate in new[] { "spatial_ref", "crs" })
        {
            if (arrays.TryGetValue(candidate, out var cand) && cand.Metadata.Shape.Count == 0 && _crs.FromCfGridMapping(cand.Metadata.Attributes) is { } fromVar)
            {
                notes.Add($"'{name}' names no grid_mapping; using the '{candidate}' variable of its group");
                return fromVar;
            }
        }

        if (hint.CrsCode is { Length: > 0 } code)
        {
            return _crs.FromAny(code);
        }

        bool lonLat = (xName.StartsWith("lon", StringComparison.OrdinalIgnoreCase) && yName.StartsWith("lat", StringComparison.OrdinalIgnoreCase))
            || (arrays.TryGetValue(xName, out var xc) && (xc.Metadata.Attributes.GetString("units") ?? "").StartsWith("degree", StringComparison.OrdinalIgnoreCase));
        if (lonLat)
        {
            notes.Add($"'{name}' has no CRS metadata; assumed EPSG:4326 from its longitude/latitude coordinates");
            return _crs.FromCode("EPSG:4326");
        }

        throw new CrsException($"no CRS found (looked for proj:code/proj:wkt2/proj:projjson, a CF grid_mapping variable, a crs attribute and lon/lat coordinates); set Crs in the dataset configuration");
    }

    private CrsInfo? FromProjAttributes(JsonObject source)
    {
        if (source.GetString("proj:code") is { Length: > 0 } code)
        {
            return _crs.FromCode(code);
        }

        if (source.GetString("proj:wkt2") is { Length: > 0 } wkt)
        {
            return _crs.FromWkt(wkt);
        }

        if (source["proj:projjson"] is JsonObject projjson)
        {
            return _crs.FromProjJson(projjson);
        }

        return null;
    }

    private static async Task<AffineTransform> ResolveTransformAsync(string name, JsonObject attrs, JsonObject groupAttrs, LevelHint hint,
        Dictionary<string, ZarrArray> arrays, string yName, string xName, int height, int width, CancellationToken ct)
    {
        double[]? st = hint.SpatialTransform ?? attrs.GetDoubles("spatial:transform") ?? groupAttrs.GetDoubles("spatial:transform");
        if (st is { Length: 6 })
        {
            var shape = hint.SpatialShape;
            if (shape is null && (attrs.GetDoubles("spatial:shape") ?? groupAttrs.GetDoubles("spatial:shape")) is { Length: 2 } declared)
            {
                shape = [(long)declared[0], (long)declared[1]];
            }

            if (shape is { Length: 2 } && (shape[0] != height || shape[1] != width))
            {
                throw new GeoDatasetException($"'{name}': spatial:shape [{shape[0]}, {shape[1]}] does not match the array's y/x shape [{height}, {width}]");
            }

            var t = new AffineTransform(st[0], st[1], st[2], st[3], st[4], st[5]);
            if ((attrs.GetString("spatial:registration") ?? groupAttrs.GetString("spatial:registration")) == "node")
            {
                t = t with { C = t.C - (0.5 * t.A) - (0.5 * t.B), F = t.F - (0.5 * t.D) - (0.5 * t.E) };
            }

            return t;
        }

        if (GridMappingName(attrs) is { } gm && arrays.TryGetValue(gm, out var gmArray) && gmArray.Metadata.Attributes.GetDoubles("GeoTransform") is { Length: 6 } gt)
        {
            return AffineTransform.FromGdal(gt);
        }

        if (arrays.TryGetValue(xName, out var xArr) && arrays.TryGetValue(yName, out var yArr) && xArr.Metadata.Shape.Count == 1 && yArr.Metadata.Shape.Count == 1)
        {
            if (xArr.Metadata.Shape[0] != width || yArr.Metadata.Shape[0] != height)
            {
                throw new GeoDatasetException($"'{name}': coordinate lengths ({xName}: {xArr.Metadata.Shape[0]}, {yName}: {yArr.Metadata.Shape[0]}) do not match the array's x/y sizes ({width}, {height})");
            }

            var (x0, dx) = await RegularAxisAsync(xArr, xName, ct).ConfigureAwait(false);
            var (y0, dy) = await RegularAxisAsync(yArr, yName, ct).ConfigureAwait(false);
            return new AffineTransform(dx, 0, x0 - (dx / 2), 0, dy, y0 - (dy / 2));
        }

        throw new GeoDatasetException($"'{name}': no georeferencing found (spatial:transform, a GeoTransform on the grid mapping, or 1-D '{xName}'/'{yName}' coordinates)");
    }

    /// <summary>First cell centre and spacing of a regularly spaced 1-D coordinate.</summary>
    private static async Task<(double Start, double Step)> RegularAxisAsync(ZarrArray coord, string name, CancellationToken ct)
    {
        long n = coord.Metadata.Shape[0];
        var values = new double[n];
        await coord.ReadAsync([DimSlice.All(n)], values.AsMemory(), ct).ConfigureAwait(false);
        if (n == 1)
        {
            throw new GeoDatasetException($"coordinate '{name}' has a single value: cell size unknown; add spatial:transform or a GeoTransform");
        }

        double step = (values[^1] - values[0]) / (n - 1);
        if (!(Math.Abs(step) > 0) || double.IsNaN(step))
        {
            throw new GeoDatasetException($"coordinate '{name}' is not monotonic");
        }

        for (long i = 0; i < n; i++)
        {
            double expected = values[0] + (i * step);
            if (Math.Abs(values[i] - expected) > Math.Abs(step) * 1e-3)
            {
                throw new GeoDatasetException($"coordinate '{name}' is not regularly spaced (value {i} is {values[i]}, a regular axis would have {expected}); irregular and curvilinear grids are not supported");
            }
        }

        return (values[0], step);
    }

    private static async Task<DimensionInfo> DescribeDimensionAsync(string dim, long size, Dictionary<string, ZarrArray> arrays, CancellationToken ct)
    {
        if (!arrays.TryGetValue(dim, out var coord) || coord.Metadata.Shape.Count != 1)
        {
            return new DimensionInfo { Name = dim, Size = size };
        }

        if (coord.Metadata.Shape[0] != size)
        {
            throw new GeoDatasetException($"coordinate '{dim}' has {coord.Metadata.Shape[0]} values but the dimension has {size}");
        }

        var values = new double[size];
        await coord.ReadAsync([DimSlice.All(size)], values.AsMemory(), ct).ConfigureAwait(false);
        var cattrs = coord.Metadata.Attributes;
        var units = cattrs.GetString("units");
        var time = CfTime.TryCreate(units, cattrs.GetString("calendar"));
        var labels = time is not null
            ? values.Select(time.ToIso).ToArray()
            : values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
        return new DimensionInfo { Name = dim, Size = size, Values = values, Labels = labels, Units = units, IsTime = time is not null, Time = time };
    }

    private static CfDecoding BuildCf(ZarrArrayMetadata meta, GeoDatasetOptions options)
    {
        var attrs = meta.Attributes;
        var nodata = new List<double>();
        if (attrs.GetDouble("_FillValue") is { } fv)
        {
            nodata.Add(fv);
        }
        else if (meta.ZarrFormat == 2 && meta.FillValue is { } zfv && meta.DataType != ZarrDataType.Bool)
        {
            // xarray reads a v2 array's fill_value as _FillValue.
            nodata.Add(zfv);
        }

        if (attrs.GetDoubles("missing_value") is { } mv)
        {
            nodata.AddRange(mv);
        }

        if (options.Nodata is { } configured)
        {
            nodata.Add(configured);
        }

        nodata.RemoveAll(double.IsNaN);
        double? vmin = attrs.GetDouble("valid_min"), vmax = attrs.GetDouble("valid_max");
        if (attrs.GetDoubles("valid_range") is { Length: 2 } vr)
        {
            vmin ??= vr[0];
            vmax ??= vr[1];
        }

        return new CfDecoding
        {
            ScaleFactor = attrs.GetDouble("scale_factor") ?? 1.0,
            AddOffset = attrs.GetDouble("add_offset") ?? 0.0,
            NodataValues = nodata.Distinct().ToArray(),
            ValidMin = vmin,
            ValidMax = vmax,
        };
    }
}
