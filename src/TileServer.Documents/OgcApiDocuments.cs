using System.Text.Json.Nodes;
using TileServer.Reading;
using TileServer.Tiling;

namespace TileServer.Documents;

/// <summary>
/// The JSON documents of OGC API - Common and - Tiles: landing page, conformance, collections (one per open dataset)
/// and map tilesets with TMS 2.0 limits. Pure functions of the datasets and the base URL.
/// </summary>
public static class OgcApiDocuments
{
    public const string RelPrefix = "http://www.opengis.net/def/rel/ogc/1.0/";
    public const string Json = "application/json";
    public const string Crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

    /// <summary>Tile formats offered by OGC API tiles: <c>f</c> key and media type.</summary>
    public static readonly (string Key, string MediaType)[] TileFormats = [("png", "image/png"), ("webp", "image/webp"), ("jpg", "image/jpeg")];

    public static readonly string[] ConformanceClasses =
    [
        "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/landing-page",
        "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/json",
        "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/datetime",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/png",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/jpeg",
        "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
        "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
        "http://www.opengis.net/spec/tms/2.0/conf/tilesetmetadata",
        "http://www.opengis.net/spec/tms/2.0/conf/json-tilesetmetadata",
        "http://www.opengis.net/spec/tms/2.0/conf/tilematrixsetlimits",
        "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixsetlimits",
    ];

    public static JsonObject Landing(string b)
    {
        var links = new JsonArray
        {
            Link(b + "/?f=json", "self", Json, "This document"),
            Link(b + "/?f=html", "alternate", "text/html", "This document as HTML"),
            Link(b + "/openapi/v1.json", "service-desc", "application/vnd.oai.openapi+json;version=3.0", "The API definition (OpenAPI 3)"),
            Link(b + "/docs", "service-doc", "text/html", "Interactive API documentation"),
            Link(b + "/conformance", "conformance", Json, "Conformance classes"),
            Link(b + "/conformance", RelPrefix + "conformance", Json, "Conformance classes"),
            Link(b + "/collections", "data", Json, "Collections (one per dataset)"),
            Link(b + "/collections", RelPrefix + "data", Json, "Collections (one per dataset)"),
            Link(b + "/tileMatrixSets", RelPrefix + "tiling-schemes", Json, "Tile matrix sets"),
            Link(b + "/wmts/1.0.0/WMTSCapabilities.xml", "alternate", "application/xml", "WMTS 1.0.0 capabilities"),
            Link(b + "/datasets", "related", Json, "Datasets (this server's own listing)"),
        };
        return new JsonObject
        {
            ["title"] = "GeoZarr tile server",
            ["description"] = "Map tiles from Zarr (v2/v3) and GeoZarr datasets: OGC API - Tiles, WMTS 1.0.0, TileJSON and XYZ tiles.",
            ["links"] = links,
        };
    }

    public static JsonObject Conformance() => new() { ["conformsTo"] = new JsonArray(ConformanceClasses.Select(c => (JsonNode)c).ToArray()) };

    public static JsonObject Collections(IEnumerable<DatasetReader> readers, string b) => new()
    {
        ["links"] = new JsonArray(Link(b + "/collections", "self", Json, "Collections")),
        ["collections"] = new JsonArray(readers.Select(r => (JsonNode)Collection(r, b)).ToArray()),
    };

    public static JsonObject Collection(DatasetReader reader, string b)
    {
        var ds = reader.Dataset;
        var geo = reader.Geography;
        string c = b + "/collections/" + Uri.EscapeDataString(reader.Id);
        var extent = new JsonObject
        {
            ["spatial"] = new JsonObject { ["bbox"] = new JsonArray(DatasetDocuments.Bounds(geo.Wgs84Bounds)), ["crs"] = Crs84 },
        };
        var times = ds.FindVariable(reader.DefaultVariable)!.OtherDimensions.FirstOrDefault(d => d.IsTime)?.Labels;
        if (times is { Count: > 0 })
        {
            extent["temporal"] = new JsonObject
            {
                ["interval"] = new JsonArray(new JsonArray(times[0], times[^1])),
                ["trs"] = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
            };
        }

        var links = new JsonArray
        {
            Link(c, "self", Json, "This collection"),
            Link($"{c}/map/tiles", RelPrefix + "tilesets-map", Json, "Map tilesets"),
            Link($"{b}/datasets/{Uri.EscapeDataString(reader.Id)}", "describedby", Json, "Dataset description (variables, dimensions, levels)"),
            Link($"{b}/tiles/{Uri.EscapeDataString(reader.Id)}/tilejson.json", "alternate", Json, "TileJSON"),
            Link($"{b}/datasets/{Uri.EscapeDataString(reader.Id)}/viewer", "alternate", "text/html", "Map viewer"),
        };
        return WithoutNulls(new JsonObject
        {
            ["id"] = reader.Id,
            ["title"] = ds.Title,
            ["description"] = ds.Description ?? $"{ds.Title} ({string.Join(", ", ds.VariableNames)})",
            ["attribution"] = ds.Attribution,
            ["extent"] = extent,
            ["itemType"] = "coverage",
            ["dataType"] = "coverage",
            ["crs"] = new JsonArray(Crs84),
            ["storageCrs"] = ds.Finest.Grid.Crs.Uri,
            ["links"] = links,
        });
    }

    /// <summary>The map tilesets of a collection, one per offered TileMatrixSet.</summary>
    public static JsonObject TileSets(DatasetReader reader, IEnumerable<TileMatrixSet> offered, string b)
    {
        string c = b + "/collections/" + Uri.EscapeDataString(reader.Id);
        var list = new JsonArray();
        foreach (var tms in offered)
        {
            var o = new JsonObject
            {
                ["title"] = $"{reader.Dataset.Title} ({tms.Id})",
                ["dataType"] = "map",
                ["crs"] = tms.CrsUri,
            };
            if (tms.Uri is { } uri)
            {
                o["tileMatrixSetURI"] = uri;
            }

            o["links"] = new JsonArray(
                Link($"{c}/map/tiles/{tms.Id}", "self", Json, "Tileset metadata"),
                Link($"{b}/tileMatrixSets/{tms.Id}", RelPrefix + "tiling-scheme", Json, "Tile matrix set definition"),
                Link($"{c}/map/tiles/{tms.Id}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}?f=png", "item", "image/png", "PNG tiles", templated: true));
            list.Add(o);
        }

        return new JsonObject
        {
            ["links"] = new JsonArray(Link($"{c}/map/tiles", "self", Json, "Map tilesets"), Link(c, RelPrefix + "geodata", Json, "The collection")),
            ["tilesets"] = list,
        };
    }

    /// <summary>One map tileset (TMS 2.0 tileSet metadata); <paramref name="normalizedQuery"/> is carried into the tile templates.</summary>
    public static JsonObject TileSet(DatasetReader reader, TileMatrixSet tms, TileSetCoverage coverage, string normalizedQuery, string b)
    {
        string extra = normalizedQuery.Length > 0 ? "&" + normalizedQuery : "";
        string normalized = normalizedQuery;
        string c = b + "/collections/" + Uri.EscapeDataString(reader.Id);
        var geo = reader.Geography;
        var bounds = geo.BoundsFor(tms);
        var (minZoom, maxZoom) = geo.ZoomRange(tms);
        var o = new JsonObject
        {
            ["title"] = $"{reader.Dataset.Title} map tiles ({tms.Id})",
            ["description"] = reader.Dataset.Description,
            ["dataType"] = "map",
            ["crs"] = tms.CrsUri,
        };
        if (tms.Uri is { } uri)
        {
            o["tileMatrixSetURI"] = uri;
        }

        if (reader.Dataset.Attribution is { Length: > 0 } attribution)
        {
            o["attribution"] = attribution;
        }

        o["mediaTypes"] = new JsonArray(TileFormats.Select(t => (JsonNode)t.MediaType).ToArray());
        o["boundingBox"] = new JsonObject
        {
            ["lowerLeft"] = new JsonArray(bounds.MinX, bounds.MinY),
            ["upperRight"] = new JsonArray(bounds.MaxX, bounds.MaxY),
            ["crs"] = Crs84,
        };
        int centreZoom = Math.Clamp(minZoom + 1, minZoom, maxZoom);
        o["centerPoint"] = new JsonObject
        {
            ["coordinates"] = new JsonArray((bounds.MinX + bounds.MaxX) / 2, (bounds.MinY + bounds.MaxY) / 2),
            ["crs"] = Crs84,
            ["tileMatrix"] = centreZoom < tms.TileMatrices.Count ? tms.TileMatrices[centreZoom].Id : tms.TileMatrices[^1].Id,
        };
        o["tileMatrixSetLimits"] = new JsonArray(coverage.Limits.Select(l => (JsonNode)new JsonObject
        {
            ["tileMatrix"] = l.TileMatrix,
            ["minTileRow"] = l.MinTileRow,
            ["maxTileRow"] = l.MaxTileRow,
            ["minTileCol"] = l.MinTileCol,
            ["maxTileCol"] = l.MaxTileCol,
        }).ToArray());
        var links = new JsonArray
        {
            Link($"{c}/map/tiles/{tms.Id}", "self", Json, "This tileset"),
            Link($"{b}/tileMatrixSets/{tms.Id}", RelPrefix + "tiling-scheme", Json, "Tile matrix set definition (TMS 2.0, with TMS 1.0 members)"),
            Link(c, RelPrefix + "geodata", Json, "The collection"),
            Link($"{b}/datasets/{Uri.EscapeDataString(reader.Id)}/legend.png" + (normalized.Length > 0 ? "?" + normalized : ""), "describedby", "image/png", "Legend"),
        };
        foreach (var (key, mediaType) in TileFormats)
        {
            links.Add(Link($"{c}/map/tiles/{tms.Id}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}?f={key}{extra}", "item", mediaType, key.ToUpperInvariant() + " tiles", templated: true));
        }

        o["links"] = links;
        return WithoutNulls(o);
    }

    /// <summary>Optional members are left out rather than written as null (schemas type them as strings).</summary>
    public static JsonObject WithoutNulls(JsonObject o)
    {
        foreach (var key in o.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            o.Remove(key);
        }

        return o;
    }

    public static JsonObject Link(string href, string rel, string type, string title, bool templated = false)
    {
        var o = new JsonObject { ["href"] = href, ["rel"] = rel, ["type"] = type, ["title"] = title };
        if (templated)
        {
            o["templated"] = true;
        }

        return o;
    }
}
