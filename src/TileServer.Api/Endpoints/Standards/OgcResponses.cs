using TileServer.Api.Errors;
using TileServer.Reading.Point;

namespace TileServer.Api.Endpoints.Standards;

/// <summary>What WMS and WMTS answer alike: capabilities with validators, GetFeatureInfo in its info format, failures as their exceptions.</summary>
internal static class OgcResponses
{
    /// <summary>The capabilities of the datasets served, validated by every dataset's version and the public URL.</summary>
    public static async Task<IResult> CapabilitiesAsync(HttpContext context, DatasetCatalog catalog, HttpCaching caching, string service,
        Func<IReadOnlyList<DatasetEntry>, string, byte[]> write, string mediaType)
    {
        var entries = await catalog.GetAllAsync(context.RequestAborted).ConfigureAwait(false);
        string baseUrl = RequestUrls.BaseUrl(context.Request);
        string etag = HttpCaching.ETag(string.Join(",", entries.Select(e => e.Id + ":" + e.Reader?.Version)), service + "-capabilities/" + baseUrl);
        if (caching.TryNotModified(context, etag, isTile: false))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(write(entries, baseUrl), mediaType);
    }

    /// <summary>GetFeatureInfo's answer (WMS and WMTS) in one of <see cref="PointDocuments.InfoFormats"/>.</summary>
    public static IResult FeatureInfo(string infoFormat, string layerId, PointValues values) => infoFormat switch
    {
        PointDocuments.Html => Results.Text(PointDocuments.ToHtml(layerId, values), "text/html; charset=utf-8"),
        PointDocuments.Text => Results.Text(PointDocuments.ToText(layerId, values), "text/plain; charset=utf-8"),
        _ => Results.Bytes(PointDocuments.ToJson(values), PointDocuments.Json),
    };

    /// <summary>
    /// A failure that is not the service's own exception, classified as problem+json would be (<see cref="ProblemExceptionHandler.Classify"/>)
    /// and turned into the service's exception, with the <c>Retry-After</c> of load shedding; an unexpected one (500) is
    /// logged with the request.
    /// </summary>
    public static T Classify<T>(Exception e, HttpContext context, ILogger log, string service, Func<int, string?, string, T> toException)
    {
        var problem = ProblemExceptionHandler.Classify(e);
        if (problem.Status == StatusCodes.Status500InternalServerError)
        {
            Log.ServiceUnexpected(log, e, service, context.Request.Path + context.Request.QueryString);
        }

        ProblemExceptionHandler.SetRetryAfter(context.Response, problem);

        return toException(problem.Status, problem.Parameter, problem.Detail);
    }
}
