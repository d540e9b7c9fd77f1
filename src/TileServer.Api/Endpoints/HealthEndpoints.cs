using TileServer.Api.Operations;

namespace TileServer.Api.Endpoints;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/healthz", ["GET", "HEAD"], () => Results.Json(new { status = "ok" }))
            .WithTags("Health").WithName("Liveness").WithSummary("Liveness: the process answers");
        app.MapMethods("/readyz", ["GET", "HEAD"], async (HttpContext context, DatasetCatalog catalog, StoreHealthView stores, GracefulShutdown shutdown) =>
            {
                if (shutdown.Draining)
                {
                    return Results.Json(new { status = "draining" }, statusCode: 503);
                }

                var entries = await catalog.GetAllAsync(context.RequestAborted).ConfigureAwait(false);
                var failed = entries.Where(e => e.Error is not null).Select(e => new { id = e.Id, error = e.Error }).ToArray();
                var unhealthy = stores.Unhealthy().Select(s => new { location = s.Location, status = s.Status, reason = s.Reason, since = s.Since, retry_at = s.RetryAt }).ToArray();
                var body = new { status = failed.Length == 0 && unhealthy.Length == 0 ? "ready" : "degraded", datasets = entries.Count, unavailable = failed, stores_unhealthy = unhealthy };
                // Degraded still serves the healthy datasets; only "nothing can be served" is not ready.
                return failed.Length == entries.Count && entries.Count > 0 ? Results.Json(body, statusCode: 503) : Results.Json(body);
            })
            .WithTags("Health").WithName("Readiness").WithSummary("Readiness: the configured datasets are opened (lists those that failed) and their stores take reads (lists those that do not)");
        return app;
    }
}
