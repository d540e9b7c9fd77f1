using System.Text.Json.Nodes;
using TileServer.Tiling;

namespace TileServer.Api.Endpoints;

public static class TileMatrixSetEndpoints
{
    public static IEndpointRouteBuilder MapTileMatrixSetEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/tileMatrixSets").WithTags("TileMatrixSets");
        group.MapMethods("", ["GET", "HEAD"], (HttpContext context, TileMatrixSetRegistry registry, HttpCaching caching) =>
            {
                string baseUrl = RequestUrls.BaseUrl(context.Request);
                caching.SetMetadataCaching(context);
                var list = new JsonArray(registry.All.Select(t => (JsonNode)new JsonObject
                {
                    ["id"] = t.Id,
                    ["title"] = t.Title,
                    ["uri"] = t.Uri,
                    ["crs"] = t.CrsUri,
                    ["links"] = new JsonArray(new JsonObject
                    {
                        ["rel"] = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme",
                        ["href"] = $"{baseUrl}/tileMatrixSets/{t.Id}",
                        ["type"] = "application/json",
                        ["title"] = t.Title ?? t.Id,
                    }),
                }).ToArray());
                return Results.Json(new JsonObject { ["tileMatrixSets"] = list });
            })
            .WithName("ListTileMatrixSets").WithSummary("The TileMatrixSets tiles can be requested in").Produces<JsonObject>(200);
        group.MapMethods("/{tileMatrixSetId}", ["GET", "HEAD"], async (HttpContext context, string tileMatrixSetId, TileMatrixSetRegistry registry, DatasetCatalog catalog, HttpCaching caching) =>
            {
                // Registered sets first; then sets a dataset declares in its own metadata (served for its links to resolve).
                if (!registry.TryGet(tileMatrixSetId, out var tms))
                {
                    var entries = await catalog.GetAllAsync(context.RequestAborted).ConfigureAwait(false);
                    tms = entries.Select(e => e.Reader).OfType<DatasetReader>().Select(r => r.TileMatrixSets.TryGet(tileMatrixSetId, out var t) ? t : null).FirstOrDefault(t => t is not null)
                        ?? throw new NotFoundException("Unknown TileMatrixSet", $"No TileMatrixSet '{tileMatrixSetId}'; see /tileMatrixSets.", "tileMatrixSetId");
                }

                caching.SetMetadataCaching(context);
                return Results.Json(tms.ToCompatibleJson());
            })
            .WithName("GetTileMatrixSet")
            .WithSummary("A TileMatrixSet as OGC TMS 2.0 JSON (also carrying the TMS 1.0 members older clients such as GDAL 3.6 read)")
            .Produces<JsonObject>(200).ProducesProblem(404);
        return app;
    }
}
