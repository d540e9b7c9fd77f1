using System.Diagnostics.CodeAnalysis;

namespace TileServer.Api.Endpoints.Standards;

/// <summary>OGC API - Common landing page and conformance, and OGC API - Tiles map tilesets per collection (= dataset).</summary>
public sealed class OgcApiHandler(DatasetCatalog catalog, StandardLayerCatalog layers, TileHandler tiles, HttpCaching caching)
{
    private static readonly (string Key, string MediaType)[] JsonOrHtml = [("json", OgcApiDocuments.Json), ("html", "text/html")];
    private static readonly (string Key, string MediaType)[] JsonOnly = [("json", OgcApiDocuments.Json)];
    private static readonly Dictionary<string, string> TileAliases = new(StringComparer.Ordinal) { ["jpeg"] = "jpg" };

    public async Task<IResult> LandingAsync(HttpContext context)
    {
        if (!Negotiate(context, JsonOrHtml, out string f, out var notAcceptable))
        {
            return notAcceptable;
        }

        var entries = await catalog.GetAllAsync(context.RequestAborted).ConfigureAwait(false);
        string b = RequestUrls.BaseUrl(context.Request);
        caching.SetMetadataCaching(context);
        return f == "html"
            ? Results.Content(LandingPageHtml.Render(b, entries), "text/html; charset=utf-8")
            : Results.Json(OgcApiDocuments.Landing(b));
    }

    public IResult Conformance(HttpContext context)
    {
        if (!Negotiate(context, JsonOnly, out _, out var notAcceptable))
        {
            return notAcceptable;
        }

        caching.SetMetadataCaching(context);
        return Results.Json(OgcApiDocuments.Conformance());
    }

    public async Task<IResult> CollectionsAsync(HttpContext context)
    {
        if (!Negotiate(context, JsonOnly, out _, out var notAcceptable))
        {
            return notAcceptable;
        }

        var entries = await catalog.GetAllAsync(context.RequestAborted).ConfigureAwait(false);
        caching.SetMetadataCaching(context);
        // A dataset that failed to open is left out: clients would fail on a collection without extent or tiles.
        return Results.Json(OgcApiDocuments.Collections(entries.Select(e => e.Reader).OfType<DatasetReader>(), RequestUrls.BaseUrl(context.Request)));
    }

    public async Task<IResult> CollectionAsync(HttpContext context, string collectionId)
    {
        if (!Negotiate(context, JsonOnly, out _, out var notAcceptable))
        {
            return notAcceptable;
        }

        var reader = await catalog.RequireAsync(collectionId, context.RequestAborted).ConfigureAwait(false);
        caching.SetMetadataCaching(context);
        return Results.Json(OgcApiDocuments.Collection(reader, RequestUrls.BaseUrl(context.Request)));
    }

    public async Task<IResult> TileSetsAsync(HttpContext context, string collectionId)
    {
        if (!Negotiate(context, JsonOnly, out _, out var notAcceptable))
        {
            return notAcceptable;
        }

        var reader = await catalog.RequireAsync(collectionId, context.RequestAborted).ConfigureAwait(false);
        caching.SetMetadataCaching(context);
        return Results.Json(OgcApiDocuments.TileSets(reader, layers.OfferedSets(reader, topLeftOnly: false), RequestUrls.BaseUrl(context.Request)));
    }

    public async Task<IResult> TileSetAsync(HttpContext context, string collectionId, string tileMatrixSetId)
    {
        if (!Negotiate(context, JsonOnly, out _, out var notAcceptable))
        {
            return notAcceptable;
        }

        var reader = await catalog.RequireAsync(collectionId, context.RequestAborted).ConfigureAwait(false);
        var tms = TileAddress.RequireTileMatrixSet(reader.TileMatrixSets, tileMatrixSetId);
        var parameters = context.Request.Parameters();
        parameters.RequireKnown(TileQuery.KnownParameters, "datetime", "f");
        var query = TileQuery.Parse(parameters, int.MaxValue).WithDateTime(reader, parameters.First("datetime"));
        reader.Bands(query.Read);
        string normalized = query.Normalized();
        string b = RequestUrls.BaseUrl(context.Request);
        string etag = HttpCaching.ETag(reader.Version, $"ogc-tileset/{b}/{tms.Id}?{normalized}");
        if (caching.TryNotModified(context, etag, isTile: false))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Json(OgcApiDocuments.TileSet(reader, tms, layers.Coverage(reader, tms), normalized, b));
    }

    /// <summary><c>.../map/tiles/{tms}/{tileMatrix}/{tileRow}/{tileCol}</c>: row before column; format by <c>f</c>, Accept or a <c>.png</c> suffix.</summary>
    public async Task<IResult> TileAsync(HttpContext context, string collectionId, string tileMatrixSetId, string tileMatrix, string tileRow, string tileCol)
    {
        context.Response.Headers.Vary = "Accept";
        var reader = await catalog.RequireAsync(collectionId, context.RequestAborted).ConfigureAwait(false);
        var (colText, suffix) = TileAddress.SplitColumn(tileCol);
        ImageFormat format;
        if (suffix is { } named)
        {
            format = named;
        }
        else if (ContentNegotiation.TryChoose(context.Request, OgcApiDocuments.TileFormats, out string key, out var notAcceptable, TileAliases))
        {
            ImageFormats.TryParse(key, out format);
        }
        else
        {
            return notAcceptable;
        }

        long row = TileAddress.ParseIndex(tileRow, "tileRow");
        var (tms, matrix, col, _) = TileAddress.Resolve(reader.TileMatrixSets, tileMatrixSetId, tileMatrix, colText, row);
        var parameters = context.Request.Parameters();
        parameters.RequireKnown(TileQuery.KnownParameters, "datetime", "f");
        var query = (TileQuery.Parse(parameters, int.MaxValue) with { TileSize = null }).WithDateTime(reader, parameters.First("datetime"));
        if (tms.Crs.Uri is { } crsUri)
        {
            context.Response.Headers["Content-Crs"] = "<" + crsUri + ">";
        }

        return await tiles.RenderAsync(context, new TileRequest(reader, tms, matrix, col, row, matrix.TileWidth, format, query)).ConfigureAwait(false);
    }

    private static bool Negotiate(HttpContext context, IReadOnlyList<(string Key, string MediaType)> offers, out string key, [NotNullWhen(false)] out IResult? notAcceptable)
    {
        context.Response.Headers.Vary = "Accept";
        return ContentNegotiation.TryChoose(context.Request, offers, out key, out notAcceptable);
    }
}
