namespace TileServer.Api.Endpoints.Standards;

/// <summary>OGC standards: landing page, conformance, OGC API - Tiles, WMTS 1.0.</summary>
public static class StandardsEndpoints
{
    public static IServiceCollection AddStandardsServices(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapStandardsEndpoints(this IEndpointRouteBuilder app) => app;
}
