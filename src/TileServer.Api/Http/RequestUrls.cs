namespace TileServer.Api.Http;

/// <summary>Absolute URLs for links, honouring the path base and forwarded headers (behind a proxy or CDN).</summary>
public static class RequestUrls
{
    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";
}
