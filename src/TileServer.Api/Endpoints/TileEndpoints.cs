using System.Globalization;
using TileServer.Api.Http;
using TileServer.Api.Rendering;
using TileServer.Delivery.Cache;
using TileServer.Delivery.Seeding;
using TileServer.Reading;
using TileServer.Reading.Catalog;
using TileServer.Rendering;
using TileServer.Tiling;

namespace TileServer.Api.Endpoints;

/// <summary>XYZ tiles: <c>/tiles/{dataset}/{z}/{x}/{y}[@{s}x].{fmt}</c> (WebMercatorQuad) and with an explicit TileMatrixSet.</summary>
public static class TileEndpoints
{
    public static IEndpointRouteBuilder MapTileEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/tiles").WithTags("Tiles");
        group.MapMethods("/{dataset}/{z}/{x}/{y}", ["GET", "HEAD"],
                (HttpContext context, string dataset, string z, string x, string y, TileHandler handler)
                    => handler.HandleAsync(context, dataset, WellKnownTileMatrixSets.WebMercatorQuad, z, x, y))
            .WithName("GetTile")
            .WithSummary("A WebMercatorQuad tile")
            .WithDescription("`y` is the row with an optional scale and the format: `3.png`, `3@2x.webp`, `3.npy`. Query parameters: " +
                "variable, sel (dim=value, repeatable), sel_method (nearest|exact), bidx, rescale (min,max; per band), colormap_name, colormap (JSON), " +
                "nodata, resampling (nearest|bilinear|cubic|average|mode), return_mask, tilesize, quality. A tile outside the data is a transparent image.")
            .Produces(200, contentType: "image/png", additionalContentTypes: ["image/webp", "image/jpeg", "application/x-npy"])
            .ProducesProblem(400).ProducesProblem(404);
        group.MapMethods("/{dataset}/{tileMatrixSetId}/{z}/{x}/{y}", ["GET", "HEAD"],
                (HttpContext context, string dataset, string tileMatrixSetId, string z, string x, string y, TileHandler handler)
                    => handler.HandleAsync(context, dataset, tileMatrixSetId, z, x, y))
            .WithName("GetTileInTileMatrixSet")
            .WithSummary("A tile in any registered TileMatrixSet")
            .Produces(200, contentType: "image/png", additionalContentTypes: ["image/webp", "image/jpeg", "application/x-npy"])
            .ProducesProblem(400).ProducesProblem(404);
        return app;
    }
}

/// <summary>Validates a tile address against its TileMatrixSet, renders it through <see cref="TileService"/> and writes it with caching headers.</summary>
public sealed class TileHandler
{
    private readonly DatasetCatalog _catalog;
    private readonly TileService _tiles;
    private readonly HttpCaching _caching;
    private readonly ReaderOptions _options;
    private readonly TileCache _cache;

    public TileHandler(DatasetCatalog catalog, TileService tiles, HttpCaching caching, ReaderOptions options, TileCache cache)
    {
        _cache = cache;
        _catalog = catalog;
        _tiles = tiles;
        _caching = caching;
        _options = options;
    }

    public async Task<IResult> HandleAsync(HttpContext context, string dataset, string tmsId, string z, string x, string ySegment)
    {
        var ct = context.RequestAborted;
        var address = TileAddress.Parse(ySegment);
        var reader = await _catalog.RequireAsync(dataset, ct).ConfigureAwait(false);
        var (tms, matrix, col, row) = ResolveTile(reader.TileMatrixSets, tmsId, z, x, address.Y);
        QueryParameters.RequireKnown(context.Request.Query, TileQuery.KnownParameters);
        var query = TileQuery.Parse(context.Request.Query, _options.MaxTileSize);
        return await RenderAsync(context, reader, tms, matrix, col, row, Size(query, matrix, address.Scale), address.Format, query).ConfigureAwait(false);
    }

    /// <summary>
    /// The endpoint without HTTP, for the seed command: format and query bound as a tile URL's are (a BadRequestException
    /// where the endpoint answers 400), then each tile keyed and rendered as <see cref="RenderAsync"/> does.
    /// </summary>
    public TileRender Bind(string extension, string queryString)
    {
        var parameters = new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(queryString));
        QueryParameters.RequireKnown(parameters, TileQuery.KnownParameters);
        var query = TileQuery.Parse(parameters, _options.MaxTileSize);
        var format = ImageFormats.TryParse(extension, out var f) ? f : throw new BadRequestException("format", $"Unknown tile format '{extension}'.");
        return async (reader, tms, matrix, col, row, ct) =>
        {
            int size = Size(query, matrix, 1);
            var (key, etag) = CacheIdentity(reader, tms, matrix, col, row, size, format, query);
            var (entry, _) = await RenderEntryAsync(reader, tms, matrix, col, row, size, format, query, etag, ct).ConfigureAwait(false);
            return new ServedTile(key, entry);
        };
    }

    private int Size(TileQuery query, TileMatrix matrix, int scale)
    {
        int size = query.TileSize ?? (matrix.TileWidth * scale);
        return size <= _options.MaxTileSize ? size : throw new BadRequestException("tilesize", $"Tile size {size} exceeds the maximum of {_options.MaxTileSize}.");
    }

    /// <summary>The tile cache's key and the ETag: both hash the dataset version and the normalised request.</summary>
    private static (string Key, string ETag) CacheIdentity(DatasetReader reader, TileMatrixSet tms, TileMatrix matrix, long col, long row, int size, ImageFormat format, TileQuery query)
    {
        string normalized = string.Create(CultureInfo.InvariantCulture, $"tile/{reader.Id}/{tms.Id}/{matrix.Id}/{col}/{row}/{size}/{format}?{query.Normalized()}");
        return (reader.Version + "/" + normalized, HttpCaching.ETag(reader.Version, normalized));
    }

    /// <summary>One render under a lease of its own (a cache flight may outlive the request that started it), as the cache stores it.</summary>
    private async Task<(CachedTile Entry, RenderedTile Rendered)> RenderEntryAsync(DatasetReader reader, TileMatrixSet tms, TileMatrix matrix, long col, long row, int size,
        ImageFormat format, TileQuery query, string etag, CancellationToken cancellationToken)
    {
        using var lease = await _tiles.AdmitAsync(reader, query.ToReadRequest(), size, size, cancellationToken).ConfigureAwait(false);
        var rendered = await _tiles.RenderAsync(reader, tms, matrix, col, row, size, format, query, cancellationToken).ConfigureAwait(false);
        lease.Rendered(rendered.Bytes.Length);
        return (new CachedTile(rendered.Bytes, rendered.ContentType, etag) { Keep = rendered.Cacheable }, rendered);
    }

    /// <summary>Shared by XYZ, WMTS and OGC API tiles: caching, rendering and the response.</summary>
    public async Task<IResult> RenderAsync(HttpContext context, DatasetReader reader, TileMatrixSet tms, TileMatrix matrix, long col, long row, int size, ImageFormat format, TileQuery query)
    {
        Standards.ContentNegotiation.EnsureNotRefused(context.Request, format.ContentType());
        var (key, etag) = CacheIdentity(reader, tms, matrix, col, row, size, format, query);
        if (_caching.TryNotModified(context, etag, isTile: true))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        RenderedTile? rendered = null;
        var lookup = await _cache.GetOrRenderAsync(key, async ct =>
        {
            (var entry, rendered) = await RenderEntryAsync(reader, tms, matrix, col, row, size, format, query, etag, ct).ConfigureAwait(false);
            return entry;
        }, context.RequestAborted).ConfigureAwait(false);
        string tier = lookup.Tier.ToString().ToLowerInvariant();
        context.Response.Headers["Server-Timing"] = rendered is null ? $"tile-cache;desc=\"{tier}\"" : $"{rendered.ServerTiming}, tile-cache;desc=\"{tier}\"";
        if (!lookup.Tile.Keep)
        {
            HttpCaching.NotCacheable(context);
        }

        if (format == ImageFormat.Npy)
        {
            context.Response.Headers.ContentDisposition = $"inline; filename=\"{reader.Id}_{matrix.Id}_{col}_{row}.npy\"";
        }

        return Results.Bytes(lookup.Tile.Bytes, lookup.Tile.ContentType);
    }

    public static (TileMatrixSet Tms, TileMatrix Matrix, long Col, long Row) ResolveTile(DatasetTileMatrixSets sets, string tmsId, string z, string x, long row)
    {
        if (!sets.TryGet(tmsId, out var tms))
        {
            throw new NotFoundException("Unknown TileMatrixSet", $"No TileMatrixSet '{tmsId}'; see /tileMatrixSets.", "tileMatrixSetId");
        }

        var matrix = tms.FindMatrix(z);
        if (matrix is null)
        {
            bool numericIds = tms.TileMatrices.All(m => int.TryParse(m.Id, NumberStyles.None, CultureInfo.InvariantCulture, out _));
            if (numericIds && !int.TryParse(z, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw new BadRequestException("z", $"Zoom '{z}' is not a non-negative integer.");
            }

            throw new NotFoundException("Tile outside the matrix", $"TileMatrixSet '{tms.Id}' has no tile matrix '{z}' (it has {tms.TileMatrices[0].Id}..{tms.TileMatrices[^1].Id}).", "z");
        }

        long col = TileAddress.ParseIndex(x, "x");
        if (!tms.IsValidTile(matrix, col, row))
        {
            throw new NotFoundException("Tile outside the matrix", $"Tile {matrix.Id}/{col}/{row} is outside TileMatrixSet '{tms.Id}' (matrix is {matrix.MatrixWidth} × {matrix.MatrixHeight} tiles).");
        }

        return (tms, matrix, col, row);
    }
}
