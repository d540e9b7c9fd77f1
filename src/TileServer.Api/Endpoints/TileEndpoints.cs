using TileServer.Delivery.Seeding;
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

/// <summary>Binds a tile URL, has <see cref="TileService"/> deliver the tile (cached or rendered) and writes it with caching headers.</summary>
public sealed class TileHandler(DatasetCatalog catalog, TileService tiles, HttpCaching caching, ReaderOptions options)
{
    public async Task<IResult> HandleAsync(HttpContext context, string dataset, string tmsId, string z, string x, string ySegment)
    {
        var address = TileAddress.Parse(ySegment);
        var reader = await catalog.RequireAsync(dataset, context.RequestAborted).ConfigureAwait(false);
        var (tms, matrix, col, row) = TileAddress.Resolve(reader.TileMatrixSets, tmsId, z, x, address.Y);
        var parameters = context.Request.Parameters();
        parameters.RequireKnown(TileQuery.KnownParameters);
        var query = TileQuery.Parse(parameters, options.MaxTileSize);
        return await RenderAsync(context, new TileRequest(reader, tms, matrix, col, row, Size(query, matrix, address.Scale), address.Format, query)).ConfigureAwait(false);
    }

    /// <summary>
    /// The endpoint without HTTP, for the seed command: format and query bound as a tile URL's are (a BadRequestException
    /// where the endpoint answers 400), then each tile keyed and rendered as <see cref="RenderAsync"/> does.
    /// </summary>
    public TileRender Bind(string extension, string queryString)
    {
        var parameters = new RequestParameters(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(queryString));
        parameters.RequireKnown(TileQuery.KnownParameters);
        var query = TileQuery.Parse(parameters, options.MaxTileSize);
        var format = ImageFormats.TryParse(extension, out var f) ? f : throw new BadRequestException("format", $"Unknown tile format '{extension}'.");
        return async (reader, tms, matrix, col, row, ct) =>
        {
            var tile = new TileRequest(reader, tms, matrix, col, row, Size(query, matrix, 1), format, query);
            var (entry, _) = await tiles.RenderEntryAsync(tile, HttpCaching.ETag(reader.Version, tile.Identity), ct).ConfigureAwait(false);
            return new ServedTile(tile.CacheKey, entry);
        };
    }

    private int Size(TileQuery query, TileMatrix matrix, int scale)
    {
        int size = query.TileSize ?? (matrix.TileWidth * scale);
        return size <= options.MaxTileSize ? size : throw new BadRequestException("tilesize", $"Tile size {size} exceeds the maximum of {options.MaxTileSize}.");
    }

    /// <summary>Shared by XYZ, WMTS and OGC API tiles: validators, the tile and the response.</summary>
    public async Task<IResult> RenderAsync(HttpContext context, TileRequest tile)
    {
        Standards.ContentNegotiation.EnsureNotRefused(context.Request, tile.Format.ContentType());
        string etag = HttpCaching.ETag(tile.Reader.Version, tile.Identity);
        if (caching.TryNotModified(context, etag, isTile: true))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var delivered = await tiles.GetTileAsync(tile, etag, context.RequestAborted).ConfigureAwait(false);
        context.Response.Headers["Server-Timing"] = delivered.ServerTiming;
        if (!delivered.Tile.Keep)
        {
            HttpCaching.NotCacheable(context);
        }

        if (tile.Format == ImageFormat.Npy)
        {
            context.Response.Headers.ContentDisposition = $"inline; filename=\"{tile.Reader.Id}_{tile.Matrix.Id}_{tile.Col}_{tile.Row}.npy\"";
        }

        return Results.Bytes(delivered.Tile.Bytes, delivered.Tile.ContentType);
    }
}
