using System.Globalization;
using System.Text.Json.Nodes;
using TileServer.Crs;
using TileServer.GeoZarr.Conventions;
using TileServer.GeoZarr.Grids;
using TileServer.Zarr;

namespace TileServer.GeoZarr;

/// <summary>
/// Turns a Zarr hierarchy into a <see cref="GeoDataset"/>: finds the pyramid levels, the data variables, their
/// spatial dimensions, CRS, georeferencing, CF decoding and coordinate values, reading each through the conventions
/// (<see cref="GeoZarrConvention"/> first, then <see cref="CfConvention"/>). Never lists the store: members come from
/// consolidated metadata or from the names the metadata (or the catalog) gives. Metadata that contradicts itself
/// (coordinates against dimensions or the transform, sizes beyond what a grid can be) fails the open with a
/// <see cref="GeoDatasetException"/> naming what disagrees, rather than serving a grid drawn from it.
/// </summary>
public sealed class GeoDatasetReader
{
    private readonly GridReader _grids;

    public GeoDatasetReader(CrsRegistry crs)
    {
        _grids = new GridReader(crs);
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
            hints = layout.Levels.Count > 0
                ? layout.Levels
                : throw new GeoDatasetException($"the multiscales metadata ({layout.Kind}) names no levels (nor does consolidated metadata list any)");
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
        var unreadable = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var failed = new Dictionary<string, ZarrFormatException>(StringComparer.Ordinal);
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
                var arr = await OpenOrSetAsideAsync(zarr, prefix, name, options, failed, ct).ConfigureAwait(false);
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
            foreach (var extra in arrays.Values.SelectMany(CfConvention.ReferencedNames).Distinct().Where(n => !arrays.ContainsKey(n) && !failed.ContainsKey(n)).ToList())
            {
                if (await OpenOrSetAsideAsync(zarr, prefix, extra, options, failed, ct).ConfigureAwait(false) is { } arr)
                {
                    arrays[extra] = arr;
                }
            }
        }

        var gridMappings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var arr in arrays.Values)
        {
            if (CfConvention.GridMappingName(arr.Metadata.Attributes) is { } gm)
            {
                gridMappings.Add(gm);
            }
        }

        // An array this reader cannot use fails the level, unless it is a grid mapping (only its attributes count).
        foreach (var (name, ex) in failed.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!gridMappings.Contains(name) || await zarr.GetArrayAttributesAsync(prefix + name, ct).ConfigureAwait(false) is not { } attrs)
            {
                throw ex;
            }

            unreadable[name] = attrs;
            notes.Add($"grid mapping '{name}' is not readable as data ({ex.Message}); its attributes are used");
        }

        bool IsCoordinate(string name, ZarrArray a) => a.Metadata.Shape.Count == 1 && (a.Metadata.DimensionNames?[0] ?? name) == name;
        var descriptive = CfConvention.DescriptiveArrays(arrays);
        var curvilinear = new Dictionary<(string, string), CurvilinearGrid>();

        var variables = new Dictionary<string, GeoVariable>(StringComparer.Ordinal);
        GridGeometry? levelGrid = null;
        var wanted = options.Variables is { Count: > 0 } ? new HashSet<string>(options.Variables) : null;
        foreach (var (name, arr) in arrays.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (arr.Metadata.Shape.Count < 2 || IsCoordinate(name, arr) || gridMappings.Contains(name) || (descriptive.Contains(name) && wanted?.Contains(name) != true)
                || (wanted is not null && !wanted.Contains(name)))
            {
                continue;
            }

            try
            {
                var variable = await OpenVariableAsync(name, arr, arrays, unreadable, hint, groupAttrs, rootAttrs, options, notes, curvilinear, ct).ConfigureAwait(false);
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

    /// <summary>
    /// The array, or null when absent or when its metadata cannot be used (kept in <paramref name="failed"/>: a grid
    /// mapping stored as a netCDF <c>char</c> is such an array). An array the configuration names fails at once.
    /// </summary>
    private static async Task<ZarrArray?> OpenOrSetAsideAsync(ZarrHierarchy zarr, string prefix, string name, GeoDatasetOptions options,
        Dictionary<string, ZarrFormatException> failed, CancellationToken ct)
    {
        try
        {
            return await zarr.GetArrayAsync(prefix + name, ct).ConfigureAwait(false);
        }
        catch (ZarrFormatException ex) when (options.Variables?.Contains(name) != true)
        {
            failed[name] = ex;
            return null;
        }
    }

    private async Task<GeoVariable?> OpenVariableAsync(string name, ZarrArray arr, Dictionary<string, ZarrArray> arrays, IReadOnlyDictionary<string, JsonObject> unreadable, LevelHint hint,
        JsonObject groupAttrs, JsonObject rootAttrs, GeoDatasetOptions options, List<string> notes, Dictionary<(string, string), CurvilinearGrid> curvilinear, CancellationToken ct)
    {
        var meta = arr.Metadata;
        var attrs = meta.Attributes;
        int rank = meta.Shape.Count;
        var dims = meta.DimensionNames?.ToArray() ?? Enumerable.Range(0, rank).Select(i => "dim_" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (meta.DimensionNames is null)
        {
            notes.Add($"'{name}' has no dimension names; taking its last two dimensions as y, x");
        }

        var lonLat = CfConvention.LonLatCoordinates(dims, attrs, arrays);
        var (yDim, xDim) = GeoZarrConvention.SpatialDimensions(dims, attrs, groupAttrs, rootAttrs) ?? CfConvention.SpatialDimensions(dims, arrays, lonLat);
        if (yDim < 0)
        {
            notes.Add($"'{name}' skipped: cannot tell which dimensions are y and x");
            return null;
        }

        int height = GridSize(name, dims[yDim], meta.Shape[yDim]);
        int width = GridSize(name, dims[xDim], meta.Shape[xDim]);
        CheckCoordinateLengths(name, dims, meta.Shape, arrays);
        var source = new GridSource(name, attrs, groupAttrs, rootAttrs, hint, arrays, dims[yDim], dims[xDim], height, width,
            lonLat is not null && lonLat.RowDimension == dims[yDim] && lonLat.ColumnDimension == dims[xDim] ? lonLat
            : lonLat is not null && lonLat.RowDimension == dims[xDim] && lonLat.ColumnDimension == dims[yDim] ? lonLat with { RowDimension = dims[yDim], ColumnDimension = dims[xDim] }
            : null, unreadable);
        var grid = await _grids.ReadAsync(source, options, notes, curvilinear, ct).ConfigureAwait(false);

        var dimensions = new DimensionInfo[rank];
        for (int i = 0; i < rank; i++)
        {
            string? role = i == yDim ? "y" : i == xDim ? "x" : null;
            dimensions[i] = role is null
                ? await DescribeDimensionAsync(dims[i], meta.Shape[i], arrays, ct).ConfigureAwait(false)
                : new DimensionInfo { Name = dims[i], Size = meta.Shape[i], SpatialRole = role, Units = arrays.TryGetValue(dims[i], out var c) ? c.Metadata.Attributes.GetString("units") : null };
        }

        return new GeoVariable(name, arr, dimensions, yDim, xDim, grid, CfConvention.Decoding(meta, options));
    }

    /// <summary>A variable's dimension and its coordinate variable must have one size, as xarray requires.</summary>
    private static void CheckCoordinateLengths(string name, string[] dims, IReadOnlyList<long> shape, Dictionary<string, ZarrArray> arrays)
    {
        for (int i = 0; i < dims.Length; i++)
        {
            if (CoordinateAxes.Find(arrays, dims[i]) is { } coord && coord.Metadata.Shape[0] != shape[i])
            {
                throw new GeoDatasetException($"coordinate '{dims[i]}' has {coord.Metadata.Shape[0]} values but dimension '{dims[i]}' of '{name}' has {shape[i]}");
            }
        }
    }

    /// <summary>Cells along one axis of a grid: at least one, and few enough to count pixels in 32-bit integers.</summary>
    private static int GridSize(string name, string dim, long cells) => cells is >= 1 and <= int.MaxValue
        ? (int)cells
        : throw new GeoDatasetException($"'{name}' has {cells} cells along '{dim}'; a grid needs between 1 and {int.MaxValue} cells along each axis");

    private static async Task<DimensionInfo> DescribeDimensionAsync(string dim, long size, Dictionary<string, ZarrArray> arrays, CancellationToken ct)
    {
        if (CoordinateAxes.Find(arrays, dim) is not { } coord)
        {
            return new DimensionInfo { Name = dim, Size = size };
        }

        var values = await CoordinateAxes.ReadAsync(coord, dim, ct).ConfigureAwait(false);
        var cattrs = coord.Metadata.Attributes;
        var units = cattrs.GetString("units");
        var time = CfTime.TryCreate(units, cattrs.GetString("calendar"));
        var labels = time is not null
            ? values.Select(time.ToIso).ToArray()
            : values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
        return new DimensionInfo { Name = dim, Size = size, Values = values, Labels = labels, Units = units, IsTime = time is not null, Time = time };
    }
}
