using System.Text.Json.Nodes;
using TileServer.Crs;

namespace TileServer.GeoZarr.Conventions;

/// <summary>
/// The GeoZarr attributes (zarr-conventions <c>spatial:</c> and <c>proj:</c>): which dimensions are y and x, the
/// CRS, and the affine transform with its shape and registration. Each reader returns null when its attributes are absent.
/// </summary>
internal static class GeoZarrConvention
{
    /// <summary>The (y, x) indices named by <c>spatial:dimensions</c> on the variable, its group or the root.</summary>
    public static (int Y, int X)? SpatialDimensions(string[] dims, params JsonObject[] sources)
    {
        foreach (var source in sources)
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

        return null;
    }

    /// <summary><c>proj:code</c>, <c>proj:wkt2</c> or <c>proj:projjson</c> of the first source that has one.</summary>
    public static CrsInfo? Crs(CrsRegistry registry, params JsonObject[] sources)
    {
        foreach (var source in sources)
        {
            if (source.GetString("proj:code") is { Length: > 0 } code)
            {
                return registry.FromCode(code);
            }

            if (source.GetString("proj:wkt2") is { Length: > 0 } wkt)
            {
                return registry.FromWkt(wkt);
            }

            if (source["proj:projjson"] is JsonObject projjson)
            {
                return registry.FromProjJson(projjson);
            }
        }

        return null;
    }

    /// <summary>
    /// <c>spatial:transform</c> of the level (as the multiscales layout states it), the variable or its group, checked
    /// against <c>spatial:shape</c> and moved to cell corners for <c>spatial:registration = node</c>; null when absent.
    /// </summary>
    public static AffineTransform? Transform(LevelHint hint, JsonObject attrs, JsonObject groupAttrs, string name, int height, int width)
    {
        double[]? st = hint.SpatialTransform ?? attrs.GetDoubles("spatial:transform") ?? groupAttrs.GetDoubles("spatial:transform");
        if (st is not { Length: 6 })
        {
            return null;
        }

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
}
