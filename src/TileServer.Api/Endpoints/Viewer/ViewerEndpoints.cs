namespace TileServer.Api.Endpoints.Viewer;

/// <summary>Map viewer, point values, previews, colormaps and legends.</summary>
public static class ViewerEndpoints
{
    public static IServiceCollection AddViewerServices(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapViewerEndpoints(this IEndpointRouteBuilder app) => app;
}
