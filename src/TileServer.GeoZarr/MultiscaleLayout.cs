using System.Text.Json.Nodes;

namespace TileServer.GeoZarr;

/// <summary>One level as a multiscales description names it, with whatever georeferencing it states itself.</summary>
internal sealed record LevelHint(string Path)
{
    public double[]? SpatialTransform { get; init; }
    public long[]? SpatialShape { get; init; }
    public string? TileMatrixId { get; init; }
    public string? CrsCode { get; init; }
}

/// <summary>The pyramid found in a group's attributes: its kind and levels (in the order the metadata lists them).</summary>
internal sealed record MultiscaleLayout(string Kind, IReadOnlyList<LevelHint> Levels)
{
    public string? TileMatrixSetId { get; init; }
    public JsonObject? InlineTileMatrixSet { get; init; }

    /// <summary>
    /// Recognises the layouts in use: GeoZarr TMS draft (object with <c>tile_matrix_set</c>), zarr-conventions
    /// (object with <c>layout</c>), ndpyramid (array with <c>datasets</c>); null when the attribute is absent or unknown.
    /// </summary>
    public static MultiscaleLayout? Parse(JsonObject rootAttributes, IReadOnlyList<(string Name, bool IsArray)> children)
    {
        if (!rootAttributes.TryGetPropertyValue("multiscales", out var ms) || ms is null)
        {
            return null;
        }

        if (ms is JsonObject obj)
        {
            if (obj["layout"] is JsonArray layout && layout.Count > 0)
            {
                var levels = new List<LevelHint>();
                foreach (var entry in layout.OfType<JsonObject>())
                {
                    var asset = entry.GetString("asset") ?? entry.GetString("id") ?? entry.GetString("path");
                    if (asset is null)
                    {
                        continue;
                    }

                    levels.Add(new LevelHint(asset.Trim('/'))
                    {
                        SpatialTransform = entry.GetDoubles("spatial:transform"),
                        SpatialShape = entry.GetDoubles("spatial:shape") is { } shape ? Array.ConvertAll(shape, d => (long)d) : null,
                    });
                }

                if (levels.Count > 0)
                {
                    return new MultiscaleLayout("zarr-conventions", levels) { TileMatrixSetId = TmsId(obj), InlineTileMatrixSet = obj["tile_matrix_set"] as JsonObject };
                }
            }

            if (obj.ContainsKey("tile_matrix_set"))
            {
                var limits = (obj["tile_matrix_limits"] ?? obj["tile_matrix_set_limits"]) as JsonObject;
                var ids = new List<string>();
                if (limits is not null)
                {
                    foreach (var (key, value) in limits)
                    {
                        ids.Add((value as JsonObject)?.GetString("tileMatrix") ?? key);
                    }
                }
                else
                {
                    ids.AddRange(children.Where(c => !c.IsArray).Select(c => c.Name));
                }

                var levels = ids.Select(id => new LevelHint(id) { TileMatrixId = id }).ToList();
                return new MultiscaleLayout("geozarr-tms", levels) { TileMatrixSetId = TmsId(obj), InlineTileMatrixSet = obj["tile_matrix_set"] as JsonObject };
            }

            return null;
        }

        if (ms is JsonArray arr && arr.Count > 0 && arr[0] is JsonObject first && first["datasets"] is JsonArray datasets)
        {
            var levels = new List<LevelHint>();
            foreach (var ds in datasets.OfType<JsonObject>())
            {
                var path = ds.GetString("path");
                if (path is not null)
                {
                    levels.Add(new LevelHint(path.Trim('/')) { CrsCode = ds.GetString("crs") });
                }
            }

            return levels.Count > 0 ? new MultiscaleLayout("ndpyramid", levels) : null;
        }

        return null;
    }

    private static string? TmsId(JsonObject obj) => obj["tile_matrix_set"] switch
    {
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
        JsonObject inline => inline.GetString("id") ?? inline.GetString("identifier"),
        _ => null,
    };
}
