using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using TileServer.Api.Catalog;
using TileServer.Reading.Catalog;
using TileServer.Api.Http;
using TileServer.Api.Rendering;
using TileServer.Reading;
using TileServer.Rendering;
using TileServer.Tiling;

namespace TileServer.Api.Endpoints.Standards;

/// <summary>OGC API - Common landing page and conformance, and OGC API - Tiles map tilesets per collection (= dataset).</summary>
public sealed class OgcApiHandler
{
    public const string RelPrefix = "http://www.opengis.net/def/rel/ogc/1.0/";
    private const string Json = "application/json";
    private const string Crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

    private static readonly (string Key, string MediaType)[] JsonOrHtml = [("json", Json), ("html", "text/html")];
    private static readonly (string Key, string MediaType)[] JsonOnly = [("json", Json)];
    private static readonly (string Key, string MediaType)[] TileFormats = [("png", "image/png"), ("webp", "image/webp"), ("jpg", "image/jpeg")];
    private static readonly Dictionary<string, string> TileAliases = new(StringComparer.Ordinal) { ["jpeg"] = "jpg" };

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

    private readonly DatasetCatalog _catalog;
    private readonly StandardLayerCatalog _layers;
    private readonly TileHandler _tiles;
    private readonly HttpCaching _caching;

    public OgcApiHandler(DatasetCatalog catalog, StandardLayerCatalog layers, TileHandler tiles, HttpCaching caching)
    {
        _catalog = catalog;
        _layers = layers;
        _tiles = tiles;
        _caching = caching;
    }

    public async Task<IResult> LandingAsync(HttpContext context)
    {
        if (!Negotiate(context, JsonOrHtml, out string f, out var notAcceptable))
        {
            return notAcceptable;
        }

        var entries = (await _catalog.GetAllAsync(context.RequestAborted).ConfigureAwait(false)).ToArray();
        string b = RequestUrls.BaseUrl(context.Request);
        _caching.SetMetadataCaching(context);
        if (f == "html")
        {
            return Results.Content(LandingPageHtml.Render(b, entries), "text/html; charset=utf-8");
        }

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
        return Results.Json(new JsonObject
        {
            ["title"] = "GeoZarr tile server",
            ["description"] = "Map tiles from Zarr (v2/v3) and GeoZarr datasets: OGC API - Tiles, WMTS 1.0.0, TileJSON and XYZ tiles.",
            ["links"] = links,
        });
    }

    public IResult Conformance(HttpContext context)
    {
        if (!Negotiate(context, JsonOnly, out _, out var notAcceptable))
        {
            return notAcceptable;
        }

        _caching.SetMetadataCaching(context);
        return Results.Json(new JsonObject { ["conformsTo"] = new JsonArray(ConformanceClasses.Select(c => (JsonNode)c).ToArray()) });
    }

    public async Task<IResult> CollectionsAsync(HttpContext context)
    {
        if (!Negotiate(context, JsonOnly, out _, out var notAcceptable))
        {
            return notAcceptable;
        }

        string b = RequestUrls.BaseUrl(context.Request);
        var entries = await _catalog.GetAllAsync(context.RequestAborted).ConfigureAwait(false);
        _caching.SetMetadataCaching(context);
        return Results.Json(new JsonObject
        {
            ["links"] = new JsonArray(Link(b + "/collections", "self", Json, "Collections")),
            // A dataset that failed to open is left out: clients would fail on a collection without extent or tiles.
            ["collections"] = new JsonArray(entries.Select(e => e.Reader).OfType<DatasetReader>().Select(r => (JsonNode)Collection(r, b)).ToArray()),
        });
    }

    public async Task<IResult> CollectionAsync(HttpContext context, string collectionId)
    {
        if (!Negotiate(context, JsonOnly, out _, out var notAcceptable))
        {
            return notAcceptable;
        }

        var reader = await _catalog.RequireAsync(collectionId, context.RequestAborted).ConfigureAwait(false);
        _caching.SetMetadataCaching(context);
        return Results.Json(Collection(reader, RequestUrls.BaseUrl(context.Request)));
    }

    public async Task<IResult> TileSetsAsync(HttpContext context, string collectionId)
    {
        if (!Negotiate(context, JsonOnly, out _, out var notAcceptable))
        {
            return notAcceptable;
        }

        var reader = await _catalog.RequireAsync(collectionId, context.RequestAborted).ConfigureAwait(false);
        string b = RequestUrls.BaseUrl(context.Request);
        string c = b + "/collections/" + Uri.EscapeDataString(reader.Id);
        _caching.SetMetadataCaching(context);
        var list = new JsonArray();
        foreach (var tms in _layers.OfferedSets(reader, topLeftOnly: false))
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

        return Results.Json(new JsonObject
        {
            ["links"] = new JsonArray(Link($"{c}/map/tiles", "self", Json, "Map tilesets"), Link(c, RelPrefix + "geodata", Json, "The collection")),
            ["tilesets"] = list,
        });
    }

    public async Task<IResult> TileSetAsync(HttpContext context, string collectionId, string tileMatrixSetId)
    {
        if (!Negotiate(context, JsonOnly, out _, out var notAcceptable))
        {
            return notAcceptable;
        }

        var reader = await _catalog.RequireAsync(collectionId, context.RequestAborted).ConfigureAwait(false);
        var tms = RequireTms(reader, tileMatrixSetId);
        var query = TileQuery.Parse(context.Request.Query, int.MaxValue).WithDateTime(reader, context.Request.Query["datetime"].FirstOrDefault());
        reader.Bands(query.ToReadRequest());
        string normalized = query.Normalized();
        string extra = normalized.Length > 0 ? "&" + normalized : "";
        string b = RequestUrls.BaseUrl(context.Request);
        string c = b + "/collections/" + Uri.EscapeDataString(reader.Id);
        string etag = HttpCaching.ETag(reader.Version, $"ogc-tileset/{b}/{tms.Id}?{normalized}");
        if (_caching.TryNotModified(context, etag, isTile: false))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var coverage = _layers.Coverage(reader, tms);
        var geo = reader.Geography;
        var bounds = tms.Id == TileEndpoints.DefaultTms ? geo.MercatorClampedBounds : geo.Wgs84Bounds;
        var (minZoom, maxZoom) = TileJsonEndpoints.ZoomRange(tms, geo);
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
        return Results.Json(WithoutNulls(o));
    }

    /// <summary><c>.../map/tiles/{tms}/{tileMatrix}/{tileRow}/{tileCol}</c>: row before column; format by <c>f</c>, Accept or a <c>.png</c> suffix.</summary>
    public async Task<IResult> TileAsync(HttpContext context, string collectionId, string tileMatrixSetId, string tileMatrix, string tileRow, string tileCol)
    {
        context.Response.Headers.Vary = "Accept";
        var reader = await _catalog.RequireAsync(collectionId, context.RequestAborted).ConfigureAwait(false);
        ImageFormat format;
        string colText = tileCol;
        int dot = tileCol.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            colText = tileCol[..dot];
            if (!ImageFormats.TryParse(tileCol[(dot + 1)..], out format) || format == ImageFormat.Npy)
            {
                throw new BadRequestException("format", $"Unknown tile format '{tileCol[(dot + 1)..]}'; use png, webp or jpg.");
            }
        }
        else if (ContentNegotiation.TryChoose(context.Request, TileFormats, out string key, out var notAcceptable, TileAliases))
        {
            ImageFormats.TryParse(key, out format);
        }
        else
        {
            return notAcceptable;
        }

        long row = TileAddress.ParseIndex(tileRow, "tileRow");
        var (tms, matrix, col, _) = TileHandler.ResolveTile(reader.TileMatrixSets, tileMatrixSetId, tileMatrix, colText, row);
        var query = (TileQuery.Parse(context.Request.Query, int.MaxValue) with { TileSize = null }).WithDateTime(reader, context.Request.Query["datetime"].FirstOrDefault());
        if (tms.Crs.Uri is { } crsUri)
        {
            context.Response.Headers["Content-Crs"] = "<" + crsUri + ">";
        }

        return await _tiles.RenderAsync(context, reader, tms, matrix, col, row, matrix.TileWidth, format, query).ConfigureAwait(false);
    }

    private JsonObject Collection(DatasetReader reader, string b)
    {
        var ds = reader.Dataset;
        var geo = reader.Geography;
        string c = b + "/collections/" + Uri.EscapeDataString(reader.Id);
        var extent = new JsonObject
        {
            ["spatial"] = new JsonObject { ["bbox"] = new JsonArray(DatasetDescriber.Bounds(geo.Wgs84Bounds)), ["crs"] = Crs84 },
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

    /// <summary>Optional members are left out rather than written as null (schemas type them as strings).</summary>
    private static JsonObject WithoutNulls(JsonObject o)
    {
        foreach (var key in o.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            o.Remove(key);
        }

        return o;
    }

    private static TileMatrixSet RequireTms(DatasetReader reader, string id)
        => reader.TileMatrixSets.TryGet(id, out var tms) ? tms : throw new NotFoundException("Unknown TileMatrixSet", $"No TileMatrixSet '{id}'; see /tileMatrixSets.", "tileMatrixSetId");

    private static bool Negotiate(HttpContext context, IReadOnlyList<(string Key, string MediaType)> offers, out string key, [NotNullWhen(false)] out IResult? notAcceptable)
    {
        context.Response.Headers.Vary = "Accept";
        return ContentNegotiation.TryChoose(context.Request, offers, out key, out notAcceptable);
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
