using System.Globalization;
using System.Text;
using TileServer.Documents.Viewer;
using TileServer.Documents.Wms;
using TileServer.Reading.Raster;

namespace TileServer.Api.Endpoints.Standards;

/// <summary>
/// WMS 1.3.0 at <c>/wms</c>: GetCapabilities, GetMap (any area, CRS and size up to the configured maximum, through
/// <see cref="TileService"/> like every tile), GetFeatureInfo (the <c>/point</c> values of the pixel) and
/// GetLegendGraphic. Parameter names are case-insensitive; failures are ServiceExceptionReports (or, for GetMap with
/// <c>EXCEPTIONS=INIMAGE|BLANK</c>, an image).
/// </summary>
public sealed class WmsHandler(DatasetCatalog catalog, WmsCapabilitiesWriter writer, WmsRequests requests, WmsCrs crs, TileService tiles, LegendRenderer legends,
    HttpCaching caching, ILogger<WmsHandler> log)
{
    public Task<IResult> HandleAsync(HttpContext context) => GuardAsync(context, p =>
    {
        if (p.Optional("SERVICE") is { } service && !service.Equals("WMS", StringComparison.OrdinalIgnoreCase))
        {
            throw WmsException.Invalid("SERVICE", $"SERVICE must be WMS, not '{service}'.");
        }

        return p.Required("REQUEST").ToUpperInvariant() switch
        {
            "GETCAPABILITIES" or "CAPABILITIES" => CapabilitiesAsync(context),
            "GETMAP" or "MAP" => MapAsync(context, p),
            "GETFEATUREINFO" => FeatureInfoAsync(context, p),
            "GETLEGENDGRAPHIC" => LegendAsync(context, p),
            _ => throw new WmsException("OperationNotSupported", "REQUEST", $"REQUEST '{p.Optional("REQUEST")}' is not a WMS operation of this server; use GetCapabilities, GetMap, GetFeatureInfo or GetLegendGraphic."),
        };
    });

    private Task<IResult> CapabilitiesAsync(HttpContext context) => OgcResponses.CapabilitiesAsync(context, catalog, caching, "wms", writer.Write, WmsCapabilitiesWriter.MediaType);

    private async Task<IResult> MapAsync(HttpContext context, WmsParameters p)
    {
        var entries = await catalog.GetAllAsync(context.RequestAborted).ConfigureAwait(false);
        var map = requests.ParseMap(p, entries);
        var query = LayerQuery.Parse(context.Request.Parameters(), map.Layer, map.Style, map.Selections);
        var reader = map.Layer.Reader;
        var b = map.Bounds;
        string normalized = string.Create(CultureInfo.InvariantCulture,
            $"wms/{map.Layer.Id}/{map.Crs.Code ?? map.Crs.Wkt}/{b.MinX:R},{b.MinY:R},{b.MaxX:R},{b.MaxY:R}/{map.Width}x{map.Height}/{map.Format}/{map.Transparent}/{map.Background}?{query.Normalized()}");
        if (caching.TryNotModified(context, HttpCaching.ETag(reader.Version, normalized), isTile: true))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        // TRANSPARENT=FALSE (the WMS default) and JPEG paint nodata with BGCOLOR; TRANSPARENT=TRUE keeps it transparent.
        bool opaque = !map.Transparent || map.Format == ImageFormat.Jpeg;
        var area = new RasterArea(map.Bounds, map.Crs, map.Width, map.Height);
        var lease = await tiles.AdmitAsync(context, reader, query.Read, map.Width, map.Height, context.RequestAborted).ConfigureAwait(false);
        var image = await tiles.RenderAreaAsync(reader, area, map.Format, query, s => opaque ? s with { Background = map.Background } : s, context.RequestAborted).ConfigureAwait(false);
        lease.Rendered(image.Bytes.Length);
        context.Response.Headers["Server-Timing"] = image.ServerTiming;
        if (!image.Cacheable)
        {
            HttpCaching.NotCacheable(context);
        }

        if (map.Format == ImageFormat.Npy)
        {
            context.Response.Headers.ContentDisposition = $"inline; filename=\"{map.Layer.Id}.npy\"";
        }

        return Results.Bytes(image.Bytes, image.ContentType);
    }

    private async Task<IResult> FeatureInfoAsync(HttpContext context, WmsParameters p)
    {
        var entries = await catalog.GetAllAsync(context.RequestAborted).ConfigureAwait(false);
        var info = requests.ParseFeatureInfo(p, entries);
        var map = info.Map;
        var query = LayerQuery.Parse(context.Request.Parameters(), map.Layer, map.Style, map.Selections);
        var (lon, lat) = crs.PixelCentre(map.Crs, map.Bounds, map.Width, map.Height, info.I, info.J)
            ?? throw new WmsException("InvalidPoint", "I", $"Pixel ({info.I}, {info.J}) has no longitude and latitude in {map.Crs}.");
        if (caching.TryNotModified(context, HttpCaching.ETag(map.Layer.Reader.Version, "wms-info" + context.Request.QueryString.Value), isTile: false))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var values = await map.Layer.Reader.PointAsync(lon, lat, LayerQuery.Point(map.Layer, query), context.RequestAborted).ConfigureAwait(false);
        return OgcResponses.FeatureInfo(info.InfoFormat, map.Layer.Id, values);
    }

    private async Task<IResult> LegendAsync(HttpContext context, WmsParameters p)
    {
        var entries = await catalog.GetAllAsync(context.RequestAborted).ConfigureAwait(false);
        var (layer, styleName) = requests.ParseLegend(p, entries);
        var query = LayerQuery.Parse(context.Request.Parameters(), layer, styleName, []);
        var reader = layer.Reader;
        if (caching.TryNotModified(context, HttpCaching.ETag(reader.Version, $"wms-legend/{layer.Id}/{legends.HasFont}?{query.Normalized()}"), isTile: false))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var style = await tiles.ResolveStyleAsync(reader, query, ImageFormat.Png, context.RequestAborted).ConfigureAwait(false);
        var spec = LegendDocuments.Spec(reader.Dataset.FindVariable(layer.Variable)!, null, style);
        return Results.Bytes(legends.RenderPng(spec), "image/png");
    }

    /// <summary>Every failure becomes a ServiceExceptionReport (or the image EXCEPTIONS asks for), never problem+json or a stack trace.</summary>
    private async Task<IResult> GuardAsync(HttpContext context, Func<WmsParameters, Task<IResult>> action)
    {
        WmsParameters? parameters = null;
        var exceptions = WmsExceptionFormat.Xml;
        try
        {
            parameters = new WmsParameters(context.Request.Query);
            exceptions = WmsRequests.ExceptionFormat(parameters);
            return await action(parameters).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var exception = e as WmsException ?? OgcResponses.Classify(e, context, log, "WMS", WmsException.Failure);
            context.Response.Headers.Remove("ETag");
            context.Response.Headers.Remove("Server-Timing");
            context.Response.Headers.CacheControl = "no-store";
            bool isMap = parameters?.Optional("REQUEST") is { } r && (r.Equals("GetMap", StringComparison.OrdinalIgnoreCase) || r.Equals("map", StringComparison.OrdinalIgnoreCase));
            if (isMap && exceptions != WmsExceptionFormat.Xml && requests.ExceptionImage(parameters!) is { } target)
            {
                var bytes = legends.RenderMessage(target.Width, target.Height, exceptions == WmsExceptionFormat.InImage ? exception.Message : null, target.Background, target.Format);
                return new ImageWithStatus(bytes, target.Format.ContentType(), exception.Status);
            }

            return Results.Text(Encoding.UTF8.GetString(ServiceExceptionReport.Write(exception)), ServiceExceptionReport.MediaType, Encoding.UTF8, exception.Status);
        }
    }

    /// <summary>An exception drawn into an image: the image with the exception's status.</summary>
    private sealed class ImageWithStatus(byte[] body, string contentType, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = contentType;
            httpContext.Response.ContentLength = body.Length;
            return httpContext.Response.Body.WriteAsync(body).AsTask();
        }
    }
}
