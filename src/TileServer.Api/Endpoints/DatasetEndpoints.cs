using System.Text.Json.Nodes;

namespace TileServer.Api.Endpoints;

public static class DatasetEndpoints
{
    public static IEndpointRouteBuilder MapDatasetEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/datasets").WithTags("Datasets");
        group.MapMethods("", ["GET", "HEAD"], async (HttpContext context, DatasetCatalog catalog, HttpCaching caching) =>
            {
                var entries = await catalog.GetAllAsync(context.RequestAborted).ConfigureAwait(false);
                string baseUrl = RequestUrls.BaseUrl(context.Request);
                caching.SetMetadataCaching(context);
                return Results.Json(new JsonObject { ["datasets"] = new JsonArray(entries.Select(e => (JsonNode)DatasetDocuments.Summary(e, baseUrl)).ToArray()) });
            })
            .WithName("ListDatasets").WithSummary("The datasets served, with their variables, WGS84 bounds and links")
            .Produces<JsonObject>(200);
        group.MapMethods("/{dataset}", ["GET", "HEAD"], async (HttpContext context, string dataset, DatasetCatalog catalog, HttpCaching caching) =>
            {
                var entry = await catalog.GetAsync(dataset, context.RequestAborted).ConfigureAwait(false) ?? throw new NotFoundException("Unknown dataset", $"No dataset with id '{dataset}' is configured.", "dataset");
                var doc = DatasetDocuments.Describe(entry, RequestUrls.BaseUrl(context.Request));
                caching.SetMetadataCaching(context);
                return Results.Json(doc);
            })
            .WithName("GetDataset")
            .WithSummary("A dataset: variables (dims, shape, dtype, units, nodata, scale/offset, statistics), CRS, bounds, levels, dimension values")
            .Produces<JsonObject>(200).ProducesProblem(404);
        return app;
    }
}
