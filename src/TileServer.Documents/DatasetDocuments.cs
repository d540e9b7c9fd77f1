using System.Text.Json.Nodes;
using TileServer.Crs;
using TileServer.GeoZarr;
using TileServer.Reading;
using TileServer.Reading.Catalog;

namespace TileServer.Documents;

/// <summary>The JSON documents of <c>/datasets</c> and <c>/datasets/{id}</c>: what a dataset is, where it lies, how it can be read.</summary>
public static class DatasetDocuments
{
    public static JsonObject Summary(DatasetEntry entry, string baseUrl)
    {
        var o = new JsonObject
        {
            ["id"] = entry.Id,
            ["title"] = entry.Reader?.Title ?? entry.Definition.Title ?? entry.Id,
            ["status"] = entry.Error is null ? "ok" : "unavailable",
        };
        if (entry.Error is not null)
        {
            o["error"] = entry.Error;
        }

        if (entry.Reader is { } reader)
        {
            o["variables"] = new JsonArray(reader.Dataset.VariableNames.Select(v => (JsonNode)v).ToArray());
            o["bounds"] = Bounds(reader.Geography.Wgs84Bounds);
            o["version"] = reader.Version;
            if (reader.StoreHealth is { } store)
            {
                // A remote store's health: its tiles fail at once while it is unavailable and come back by themselves.
                var health = new JsonObject { ["status"] = store.Status, ["since"] = store.Since };
                if (store.Reason is not null)
                {
                    health["reason"] = store.Reason;
                }

                if (store.RetryAt is { } retry)
                {
                    health["retry_at"] = retry;
                }

                o["store"] = health;
            }
        }

        o["links"] = Links(entry.Id, baseUrl, entry.Reader is not null);
        return o;
    }

    public static JsonObject Describe(DatasetEntry entry, string baseUrl)
    {
        var o = Summary(entry, baseUrl);
        if (entry.Reader is not { } reader)
        {
            return o;
        }

        var ds = reader.Dataset;
        var geo = reader.Geography;
        var finest = ds.Finest.Grid;
        o["description"] = ds.Description;
        o["attribution"] = ds.Attribution;
        o["wgs84_bounds"] = Bounds(geo.Wgs84Bounds);
        o["crs"] = new JsonObject { ["code"] = finest.Crs.Code, ["uri"] = finest.Crs.Uri, ["wkt"] = finest.Crs.Wkt };
        o["native_bounds"] = Bounds(finest.Bounds);
        o["minzoom"] = geo.MinZoom;
        o["maxzoom"] = geo.MaxZoom;
        o["default_variable"] = reader.DefaultVariable;
        o["multiscale"] = new JsonObject
        {
            ["layout"] = ds.MultiscaleLayout,
            ["tile_matrix_set"] = ds.TileMatrixSetId,
            ["levels"] = new JsonArray(ds.Levels.Select(l => (JsonNode)new JsonObject
            {
                ["path"] = l.Path,
                ["width"] = l.Grid.Width,
                ["height"] = l.Grid.Height,
                ["resolution"] = new JsonArray(l.Grid.ResolutionX, l.Grid.ResolutionY),
                ["resolution_meters"] = DatasetGeography.ResolutionMeters(l.Grid),
                ["transform"] = new JsonArray(l.Grid.Transform.A, l.Grid.Transform.B, l.Grid.Transform.C, l.Grid.Transform.D, l.Grid.Transform.E, l.Grid.Transform.F),
                ["tile_matrix"] = l.TileMatrixId,
                ["variables"] = new JsonArray(l.Variables.Keys.Select(k => (JsonNode)k).ToArray()),
            }).ToArray()),
            ["zooms"] = ZoomNote(ds, geo),
        };
        o["tile_matrix_sets"] = new JsonArray(reader.TileMatrixSets.All.Select(t => (JsonNode)t.Id).ToArray());

        var variables = new JsonArray();
        foreach (var name in ds.VariableNames)
        {
            variables.Add(DescribeVariable(reader, name));
        }

        o["variables"] = variables;
        if (ds.Notes.Count > 0)
        {
            o["notes"] = new JsonArray(ds.Notes.Select(n => (JsonNode)n).ToArray());
        }

        return o;
    }

    private static JsonObject DescribeVariable(DatasetReader reader, string name)
    {
        var v = reader.Describe(name);
        var o = new JsonObject
        {
            ["name"] = v.Name,
            ["long_name"] = v.LongName,
            ["standard_name"] = v.StandardName,
            ["units"] = v.Units,
            ["dtype"] = v.DataType,
            ["shape"] = new JsonArray(v.Shape.Select(s => (JsonNode)s).ToArray()),
            ["chunks"] = new JsonArray(v.Chunks.Select(s => (JsonNode)s).ToArray()),
            ["codecs"] = v.Codecs,
            ["zarr_format"] = v.ZarrFormat,
            ["dims"] = new JsonArray(v.Dimensions.Select(d => (JsonNode)DescribeDimension(d)).ToArray()),
            ["nodata"] = new JsonArray(v.Cf.NodataValues.Select(n => (JsonNode)n).ToArray()),
            ["scale_factor"] = v.Cf.ScaleFactor,
            ["add_offset"] = v.Cf.AddOffset,
        };
        if (v.Cf.ValidMin is not null || v.Cf.ValidMax is not null)
        {
            o["valid_range"] = new JsonArray(v.Cf.ValidMin, v.Cf.ValidMax);
        }

        if (v.FlagValues is { } flags)
        {
            o["flag_values"] = flags;
            o["flag_meanings"] = v.FlagMeanings;
        }

        // What tiles without a rescale are drawn with, and how it was obtained; never waits for statistics in progress.
        var stretch = reader.DescribeDefaultStretch(v.Name);
        o["default_stretch"] = new JsonObject
        {
            ["min"] = stretch.Value?.Min,
            ["max"] = stretch.Value?.Max,
            ["source"] = stretch.Source,
            ["status"] = stretch.Status,
            ["detail"] = stretch.Detail,
        };
        if (stretch.Statistics is { } s)
        {
            o["statistics"] = new JsonObject
            {
                ["min"] = s.Min,
                ["max"] = s.Max,
                ["p2"] = s.P2,
                ["p98"] = s.P98,
                ["valid_count"] = s.ValidCount,
                ["level"] = s.Level,
                ["method"] = s.Method,
                ["chunks_read"] = s.ChunksRead,
                ["chunks_unreadable"] = s.ChunksUnreadable,
                ["chunks_in_level"] = s.ChunksInLevel,
            };
        }

        return o;
    }

    private static JsonObject DescribeDimension(DimensionInfo d)
    {
        var o = new JsonObject { ["name"] = d.Name, ["size"] = d.Size };
        if (d.SpatialRole is not null)
        {
            o["role"] = d.SpatialRole;
        }

        if (d.Units is not null)
        {
            o["units"] = d.Units;
        }

        if (d.IsTime)
        {
            o["type"] = "time";
            o["calendar"] = d.Time?.Calendar.ToString();
        }

        if (d.SpatialRole is null && d.Labels is { } labels)
        {
            o["values"] = d.IsTime
                ? new JsonArray(labels.Select(l => (JsonNode)l).ToArray())
                : new JsonArray(d.Values!.Select(x => (JsonNode)x).ToArray());
        }

        return o;
    }

    private static JsonObject ZoomNote(GeoDataset ds, DatasetGeography geo)
    {
        // Zooms whose tiles are finer than the coarsest level read a level directly ("native"); coarser ones
        // read a level with a stride ("synthesized").
        int nativeFrom = (int)Math.Clamp(Math.Ceiling(Math.Log2(40075016.68557849 / 256.0 / geo.CoarsestResolutionMeters) - 1e-9), 0, 24);
        return new JsonObject
        {
            ["native"] = new JsonArray(Math.Min(nativeFrom, geo.MaxZoom), 24),
            ["synthesized"] = nativeFrom > 0 ? new JsonArray(0, nativeFrom - 1) : null,
            ["levels"] = ds.Levels.Count,
        };
    }

    public static JsonArray Bounds(Extent e) => new(e.MinX, e.MinY, e.MaxX, e.MaxY);

    private static JsonArray Links(string id, string baseUrl, bool open)
    {
        var links = new JsonArray
        {
            Link("self", $"{baseUrl}/datasets/{id}", "application/json", "dataset description"),
        };
        if (open)
        {
            links.Add(Link("tilejson", $"{baseUrl}/tiles/{id}/tilejson.json", "application/json", "TileJSON (WebMercatorQuad)"));
            links.Add(Link("tiles", $"{baseUrl}/tiles/{id}/{{z}}/{{x}}/{{y}}.png", "image/png", "XYZ tiles"));
            links.Add(Link("viewer", $"{baseUrl}/datasets/{id}/viewer", "text/html", "map viewer"));
            links.Add(Link("preview", $"{baseUrl}/datasets/{id}/preview.png", "image/png", "preview of the default variable"));
            links.Add(Link("legend", $"{baseUrl}/datasets/{id}/legend.json", "application/json", "legend of the default rendering"));
            links.Add(Link("point", $"{baseUrl}/datasets/{id}/point?lon={{lon}}&lat={{lat}}", "application/json", "values at a point"));
            links.Add(Link("collection", $"{baseUrl}/collections/{id}", "application/json", "OGC API collection"));
        }

        return links;
    }

    private static JsonObject Link(string rel, string href, string type, string title)
        => new() { ["rel"] = rel, ["href"] = href, ["type"] = type, ["title"] = title };
}
