using System.Text;
using TileServer.Documents.Wmts;

namespace TileServer.Api.Endpoints.Standards;

/// <summary>
/// WMTS 1.0.0: KVP at <c>/wmts</c> (GetCapabilities, GetTile; parameter names case-insensitive) and RESTful at
/// <c>/wmts/1.0.0/WMTSCapabilities.xml</c> and <c>/wmts/1.0.0/{layer}/{style}[/{dim}...]/{tms}/{matrix}/{row}/{col}.{ext}</c>.
/// <see cref="WmtsRequests"/> reads the requests; tiles go through <see cref="TileHandler"/> like every other tile.
/// </summary>
public sealed class WmtsHandler(DatasetCatalog catalog, WmtsRequests requests, WmtsCapabilitiesWriter writer, TileHandler tiles, HttpCaching caching, WmsHandler wms,
    ILogger<WmtsHandler> log)
{
    private const string XmlType = "application/xml";

    /// <summary>
    /// <c>/wmts</c> KVP; a WMS request there (QGIS given the bare address asks <c>SERVICE=WMS&amp;REQUEST=GetCapabilities</c>)
    /// is answered by the WMS, whose capabilities point the client at <c>/wmts</c>.
    /// </summary>
    public Task<IResult> KvpOrWmsAsync(HttpContext context)
        => context.Request.Query.TryGetValue("SERVICE", out var service) && service.Count == 1 && string.Equals(service[0]?.Trim(), "WMS", StringComparison.OrdinalIgnoreCase)
            ? wms.HandleAsync(context)
            : KvpAsync(context);

    public Task<IResult> KvpAsync(HttpContext context) => GuardAsync(context, async () =>
    {
        var parameters = context.Request.Parameters();
        if (WmtsRequests.ParseKvp(parameters) is not { } request)
        {
            return await CapabilitiesAsync(context).ConfigureAwait(false);
        }

        var entries = await catalog.GetAllAsync(context.RequestAborted).ConfigureAwait(false);
        var layer = StandardLayerCatalog.FindLayer(entries, request.LayerId) ?? throw WmtsRequests.UnknownLayer(request.LayerId);
        return await AnswerAsync(context, parameters, layer, request).ConfigureAwait(false);
    });

    public Task<IResult> RestCapabilitiesAsync(HttpContext context) => GuardAsync(context, () => CapabilitiesAsync(context));

    /// <summary>A RESTful tile, or GetFeatureInfo of one of its pixels (see <see cref="WmtsRequests.ParseRest"/>).</summary>
    public Task<IResult> RestTileAsync(HttpContext context, string path) => GuardAsync(context, async () =>
    {
        var segments = WmtsRequests.SplitRestPath(path);
        var entries = await catalog.GetAllAsync(context.RequestAborted).ConfigureAwait(false);
        var layer = StandardLayerCatalog.FindLayer(entries, segments[0]) ?? throw WmtsRequests.UnknownLayer(segments[0]);
        return await AnswerAsync(context, context.Request.Parameters(), layer, WmtsRequests.ParseRest(segments, layer)).ConfigureAwait(false);
    });

    /// <summary>The tile, or for GetFeatureInfo the <c>/point</c> values at the centre of its pixel I/J.</summary>
    private async Task<IResult> AnswerAsync(HttpContext context, RequestParameters parameters, StandardLayer layer, WmtsRequest request)
    {
        var tile = requests.Resolve(parameters, layer, request);
        if (request.FeatureInfo is not { } info)
        {
            return await tiles.RenderAsync(context, new TileRequest(layer.Reader, tile.Tms, tile.Matrix, tile.Col, tile.Row, tile.Matrix.TileWidth, request.Format, tile.Query)).ConfigureAwait(false);
        }

        var (lon, lat) = requests.PixelCentre(tile, info.I, info.J);
        if (caching.TryNotModified(context, HttpCaching.ETag(layer.Reader.Version, "wmts-info" + context.Request.Path + context.Request.QueryString.Value), isTile: false))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var values = await layer.Reader.PointAsync(lon, lat, LayerQuery.Point(layer, tile.Query), context.RequestAborted).ConfigureAwait(false);
        return OgcResponses.FeatureInfo(info.InfoFormat, layer.Id, values);
    }

    private Task<IResult> CapabilitiesAsync(HttpContext context) => OgcResponses.CapabilitiesAsync(context, catalog, caching, "wmts", writer.Write, XmlType);

    /// <summary>Every failure of a WMTS request becomes an ExceptionReport (never problem+json, never a stack trace).</summary>
    private async Task<IResult> GuardAsync(HttpContext context, Func<Task<IResult>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var report = e as OwsException ?? OgcResponses.Classify(e, context, log, "WMTS", WmtsRequests.Failure);
            // A failure after the tile path set its validators must not be cached as if it were the tile.
            context.Response.Headers.Remove("ETag");
            context.Response.Headers.CacheControl = "no-store";
            return Results.Text(Encoding.UTF8.GetString(report.ToXml()), XmlType, Encoding.UTF8, report.Status);
        }
    }
}
