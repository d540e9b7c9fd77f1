using System.Globalization;
using System.Text.Json.Nodes;
using TileServer.Api.Catalog;
using TileServer.Api.Http;
using TileServer.Documents;
using TileServer.Documents.Requests;
using TileServer.Reading;
using TileServer.Reading.Catalog;
using TileServer.Rendering;
using TileServer.Tiling;

namespace TileServer.Api.Endpoints;

/// <summary>TileJSON 3.0.0 for a dataset, whose tile template carries the request's rendering parameters.</summary>
public static class TileJsonEndpoints
{
    public static IEndpointRouteBuilder MapTileJsonEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/tiles/{dataset}/tilejson.json", ["GET", "HEAD"],
                (HttpContext context, string dataset, DatasetCatalog catalog, HttpCaching caching, ReaderOptions options)
                    => TileJsonAsync(context, dataset, WellKnownTileMatrixSets.WebMercatorQuad, explicitTms: false, catalog, caching, options))
            .WithTags("TileJSON").WithName("GetTileJson").WithSummary("TileJSON 3.0.0 (WebMercatorQuad)")
            .WithDescription("Accepts the tile query parameters (carried into the `tiles` template) plus `tile_format` (png|webp|jpg|npy) and `tile_scale` (1-4).")
            .Produces<JsonObject>(200).ProducesProblem(400).ProducesProblem(404);
        app.MapMethods("/tiles/{dataset}/{tileMatrixSetId}/tilejson.json", ["GET", "HEAD"],
                (HttpContext context, string dataset, string tileMatrixSetId, DatasetCatalog catalog, HttpCaching caching, ReaderOptions options)
                    => TileJsonAsync(context, dataset, tileMatrixSetId, explicitTms: true, catalog, caching, options))
            .WithTags("TileJSON").WithName("GetTileJsonInTileMatrixSet").WithSummary("TileJSON 3.0.0 for a TileMatrixSet")
            .Produces<JsonObject>(200).ProducesProblem(400).ProducesProblem(404);
        return app;
    }

    private static async Task<IResult> TileJsonAsync(HttpContext context, string datasetId, string tmsId, bool explicitTms, DatasetCatalog catalog,
        HttpCaching caching, ReaderOptions options)
    {
        var reader = await catalog.RequireAsync(datasetId, context.RequestAborted).ConfigureAwait(false);
        if (!reader.TileMatrixSets.TryGet(tmsId, out var tms))
        {
            throw new NotFoundException("Unknown TileMatrixSet", $"No TileMatrixSet '{tmsId}'; see /tileMatrixSets.", "tileMatrixSetId");
        }

        var parameters = context.Request.Parameters();
        parameters.RequireKnown(TileQuery.KnownParameters, "tile_format", "tile_scale");
        var query = TileQuery.Parse(parameters, options.MaxTileSize);
        var format = ImageFormat.Png;
        if (context.Request.Query["tile_format"].FirstOrDefault() is { Length: > 0 } f && !ImageFormats.TryParse(f, out format))
        {
            throw new BadRequestException("tile_format", $"Unknown tile_format '{f}'; use png, webp, jpg or npy.");
        }

        int scale = 1;
        if (context.Request.Query["tile_scale"].FirstOrDefault() is { Length: > 0 } s
            && (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out scale) || scale is < 1 or > 4))
        {
            throw new BadRequestException("tile_scale", $"tile_scale must be 1, 2, 3 or 4, not '{s}'.");
        }


        string baseUrl = RequestUrls.BaseUrl(context.Request);
        string normalized = query.Normalized();
        string ext = format.FileExtension();
        string scaleSuffix = scale == 1 ? "" : $"@{scale}x";
        string tmsSegment = explicitTms ? "/" + tms.Id : "";
        string template = $"{baseUrl}/tiles/{reader.Id}{tmsSegment}/{{z}}/{{x}}/{{y}}{scaleSuffix}.{ext}" + (normalized.Length > 0 ? "?" + normalized : "");

        var geo = reader.Geography;
        var bounds = geo.BoundsFor(tms);
        var (minZoom, maxZoom) = geo.ZoomRange(tms);
        var ds = reader.Dataset;
        var doc = new JsonObject
        {
            ["tilejson"] = "3.0.0",
            ["name"] = ds.Title,
            ["description"] = ds.Description ?? $"{ds.Title} ({string.Join(", ", ds.VariableNames)})",
            ["version"] = "1.0.0",
            ["scheme"] = "xyz",
            ["tiles"] = new JsonArray(template),
            ["minzoom"] = minZoom,
            ["maxzoom"] = maxZoom,
            ["bounds"] = DatasetDocuments.Bounds(bounds),
            ["center"] = new JsonArray((bounds.MinX + bounds.MaxX) / 2, (bounds.MinY + bounds.MaxY) / 2, Math.Clamp(minZoom + 1, minZoom, maxZoom)),
            ["tileSize"] = (tms.TileMatrices[0].TileWidth * scale),
        };
        if (ds.Attribution is { Length: > 0 } attribution)
        {
            doc["attribution"] = attribution;
        }

        if (explicitTms)
        {
            doc["tileMatrixSet"] = tms.Id;
        }

        // A color bar exists for single-band renderings; composites get the JSON description of their bands.
        var bandCount = reader.OutputBandCount(query.Read);
        doc["legend"] = $"{baseUrl}/datasets/{reader.Id}/legend.{(bandCount == 1 ? "png" : "json")}" + (normalized.Length > 0 ? "?" + normalized : "");

        string etag = HttpCaching.ETag(reader.Version, "tilejson/" + baseUrl + "/" + tms.Id + "/" + explicitTms + "/" + ext + scaleSuffix + "?" + normalized);
        if (caching.TryNotModified(context, etag, isTile: false))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Json(doc);
    }
}
