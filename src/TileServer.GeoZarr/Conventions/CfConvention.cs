using System.Text.Json.Nodes;
using TileServer.Crs;
using TileServer.Zarr;

namespace TileServer.GeoZarr.Conventions;

/// <summary>
/// The CF conventions (and the GDAL/rioxarray attributes written beside them): grid mappings, coordinate variables
/// and their axis roles, the <c>GeoTransform</c> of a grid mapping, and packing/nodata attributes.
/// </summary>
internal static class CfConvention
{
    private static readonly string[] XNames = ["x", "lon", "longitude", "easting", "rlon", "nav_lon", "xc", "projection_x_coordinate"];
    private static readonly string[] YNames = ["y", "lat", "latitude", "northing", "rlat", "nav_lat", "yc", "projection_y_coordinate"];

    /// <summary>CF <c>grid_mapping</c> is a name, or "name: coords" pairs; the first name is the mapping.</summary>
    public static string? GridMappingName(JsonObject attrs)
        => attrs.GetString("grid_mapping") is { Length: > 0 } gm ? gm.Split(':', ' ')[0] : null;

    /// <summary>The arrays a variable names: its grid mapping, its dimensions and its <c>coordinates</c>.</summary>
    public static IEnumerable<string> ReferencedNames(ZarrArray arr)
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

    /// <summary>
    /// The (y, x) indices from the coordinate variables' axis roles, then from well-known names, then from the
    /// dimensions of 2-D longitude/latitude coordinates (<paramref name="lonLat"/>: curvilinear grids); the last two
    /// dimensions when the names are generated; (-1, -1) when real names say nothing spatial.
    /// </summary>
    public static (int Y, int X) SpatialDimensions(string[] dims, Dictionary<string, ZarrArray> arrays, AuxiliaryLonLat? lonLat = null)
    {
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

        if (lonLat is not null && Array.IndexOf(dims, lonLat.RowDimension) is >= 0 and var row && Array.IndexOf(dims, lonLat.ColumnDimension) is >= 0 and var col)
        {
            return (row, col);
        }

        return dims.Length >= 2 && !dims.Any(d => d.StartsWith("dim_", StringComparison.Ordinal)) && yi < 0 && xi < 0
            ? (-1, -1)
            : (dims.Length - 2, dims.Length - 1);
    }

    /// <summary>
    /// The 2-D longitude and latitude arrays of a curvilinear variable: those its <c>coordinates</c> attribute names
    /// (told apart by standard_name, units or name), else arrays with well-known names (lon/lat, longitude/latitude,
    /// nav_lon/nav_lat) on two of the variable's dimensions; null when there are none. The latitude array's dimension
    /// order gives rows and columns; the longitude array must have the same dimensions.
    /// </summary>
    public static AuxiliaryLonLat? LonLatCoordinates(string[] dims, JsonObject attrs, Dictionary<string, ZarrArray> arrays)
    {
        var named = (attrs.GetString("coordinates") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        IEnumerable<string> candidates = named.Length > 0 ? named : arrays.Keys.Where(k => k is "lon" or "lat" or "longitude" or "latitude" or "nav_lon" or "nav_lat");
        string? lon = null, lat = null;
        foreach (var c in candidates)
        {
            if (!arrays.TryGetValue(c, out var arr) || arr.Metadata.Shape.Count != 2 || arr.Metadata.DimensionNames is not { } cd || !cd.All(dims.Contains))
            {
                continue;
            }

            switch (GeographicRole(c, arr.Metadata.Attributes))
            {
                case "lon":
                    lon ??= c;
                    break;
                case "lat":
                    lat ??= c;
                    break;
            }
        }

        if (lon is null || lat is null)
        {
            return null;
        }

        var latDims = arrays[lat].Metadata.DimensionNames!;
        var lonDims = arrays[lon].Metadata.DimensionNames!;
        return latDims[0] != latDims[1] && lonDims.OrderBy(d => d, StringComparer.Ordinal).SequenceEqual(latDims.OrderBy(d => d, StringComparer.Ordinal))
            ? new AuxiliaryLonLat(lon, lat, latDims[0], latDims[1])
            : null;
    }

    /// <summary>
    /// Arrays that describe other variables rather than hold data: those named by a <c>coordinates</c> or
    /// <c>bounds</c> attribute, and 2-D arrays that say they are longitude or latitude.
    /// </summary>
    public static HashSet<string> DescriptiveArrays(Dictionary<string, ZarrArray> arrays)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, arr) in arrays)
        {
            var a = arr.Metadata.Attributes;
            foreach (var c in (a.GetString("coordinates") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Append(a.GetString("bounds") ?? ""))
            {
                if (c.Length > 0 && c != name)
                {
                    names.Add(c);
                }
            }

            if (arr.Metadata.Shape.Count == 2 && a.GetString("standard_name") is "longitude" or "latitude")
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>"lon" or "lat" for geographic coordinates (not rotated ones: grid_longitude is an axis of its own CRS); null otherwise.</summary>
    private static string? GeographicRole(string name, JsonObject attrs)
    {
        var sn = attrs.GetString("standard_name");
        if (sn is "longitude" or "latitude")
        {
            return sn[..3];
        }

        var units = (attrs.GetString("units") ?? "").ToLowerInvariant();
        if (units is "degrees_east" or "degree_east" or "degrees_e" or "degree_e")
        {
            return "lon";
        }

        if (units is "degrees_north" or "degree_north" or "degrees_n" or "degree_n")
        {
            return "lat";
        }

        string n = name.ToLowerInvariant();
        return n.StartsWith("lon", StringComparison.Ordinal) || n is "nav_lon" or "glamt" ? "lon"
            : n.StartsWith("lat", StringComparison.Ordinal) || n is "nav_lat" or "gphit" ? "lat"
            : null;
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

    /// <summary>
    /// The CRS of the variable's grid mapping, of its <c>crs</c> attribute, or of a <c>spatial_ref</c>/<c>crs</c> scalar
    /// variable in its group (with a note); null when none of these is there.
    /// </summary>
    /// <param name="unreadable">Attributes of arrays whose data type cannot be read (a grid mapping stored as a netCDF <c>char</c>).</param>
    public static CrsInfo? Crs(CrsRegistry registry, string name, JsonObject attrs, Dictionary<string, ZarrArray> arrays, List<string> notes, IReadOnlyDictionary<string, JsonObject>? unreadable = null)
    {
        if (GridMappingName(attrs) is { } gm && MappingAttributes(gm, arrays, unreadable) is { } gmAttrs && registry.FromCfGridMapping(gmAttrs) is { } fromCf)
        {
            return fromCf;
        }

        if (attrs.GetString("crs") is { Length: > 0 } crsText)
        {
            return registry.FromAny(crsText);
        }

        foreach (var candidate in new[] { "spatial_ref", "crs" })
        {
            if (arrays.TryGetValue(candidate, out var cand) && cand.Metadata.Shape.Count == 0 && registry.FromCfGridMapping(cand.Metadata.Attributes) is { } fromVar)
            {
                notes.Add($"'{name}' names no grid_mapping; using the '{candidate}' variable of its group");
                return fromVar;
            }
        }

        return null;
    }

    /// <summary>EPSG:4326 for lon/lat coordinates without CRS metadata (with a note); null otherwise.</summary>
    public static CrsInfo? AssumedLonLat(CrsRegistry registry, string name, string yName, string xName, Dictionary<string, ZarrArray> arrays, List<string> notes)
    {
        bool lonLat = (xName.StartsWith("lon", StringComparison.OrdinalIgnoreCase) && yName.StartsWith("lat", StringComparison.OrdinalIgnoreCase))
            || (arrays.TryGetValue(xName, out var xc) && (xc.Metadata.Attributes.GetString("units") ?? "").StartsWith("degree", StringComparison.OrdinalIgnoreCase));
        if (!lonLat)
        {
            return null;
        }

        notes.Add($"'{name}' has no CRS metadata; assumed EPSG:4326 from its longitude/latitude coordinates");
        return registry.FromCode("EPSG:4326");
    }

    /// <summary>The GDAL <c>GeoTransform</c> on the variable's grid mapping, with the mapping's name; null when absent.</summary>
    public static (AffineTransform Transform, string Mapping)? GeoTransform(JsonObject attrs, Dictionary<string, ZarrArray> arrays, IReadOnlyDictionary<string, JsonObject>? unreadable = null)
        => GridMappingName(attrs) is { } gm && MappingAttributes(gm, arrays, unreadable)?.GetDoubles("GeoTransform") is { Length: 6 } gt
            ? (AffineTransform.FromGdal(gt), gm)
            : null;

    private static JsonObject? MappingAttributes(string name, Dictionary<string, ZarrArray> arrays, IReadOnlyDictionary<string, JsonObject>? unreadable)
        => arrays.TryGetValue(name, out var a) ? a.Metadata.Attributes : unreadable?.GetValueOrDefault(name);

    /// <summary>Packing and nodata: <c>scale_factor</c>, <c>add_offset</c>, <c>_FillValue</c>, <c>missing_value</c>, valid range.</summary>
    public static CfDecoding Decoding(ZarrArrayMetadata meta, GeoDatasetOptions options)
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

/// <summary>The 2-D longitude and latitude arrays of a curvilinear variable, and which of its dimensions are rows and columns.</summary>
internal sealed record AuxiliaryLonLat(string Longitude, string Latitude, string RowDimension, string ColumnDimension);
