using System.Text.Json.Nodes;
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
        var tms = TileAddress.RequireTileMatrixSet(reader.TileMatrixSets, tmsId);
        var parameters = context.Request.Parameters();
        parameters.RequireKnown(TileJsonRequest.KnownParameters);
        var request = TileJsonRequest.Parse(parameters, options.MaxTileSize);
        string baseUrl = RequestUrls.BaseUrl(context.Request);
        var doc = TileJsonDocuments.TileJson(reader, tms, explicitTms, request, baseUrl);
        string etag = HttpCaching.ETag(reader.Version, "tilejson/" + baseUrl + "/" + tms.Id + "/" + explicitTms + "/" + request.Format.FileExtension() + request.ScaleSuffix + "?" + request.Query.Normalized());
        if (caching.TryNotModified(context, etag, isTile: false))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Json(doc);
    }
}
