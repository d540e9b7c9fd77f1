using TileServer.Reading.Load;

namespace TileServer.Api.Http;

/// <summary>What ties the lower layers to a request: its query as they parse it, and a render's lease to its response.</summary>
public static class RequestParameterAdapter
{
    /// <summary>The request's query parameters, for the parsers of <see cref="TileServer.Documents.Requests"/>.</summary>
    public static RequestParameters Parameters(this HttpRequest request) => new(request.Query);

    /// <summary>Admission of a render whose answer this request sends: the lease is held until the response is done.</summary>
    public static async Task<RenderLease> AdmitAsync(this TileService tiles, HttpContext context, DatasetReader reader, ReadRequest request, int width, int height, CancellationToken cancellationToken)
    {
        var lease = await tiles.AdmitAsync(reader, request, width, height, cancellationToken).ConfigureAwait(false);
        context.Response.RegisterForDispose(lease);
        return lease;
    }
}
