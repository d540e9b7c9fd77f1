using System.Globalization;
using System.Text.Json.Nodes;
using TileServer.Documents.Viewer;

namespace TileServer.Api.Endpoints.Viewer;

/// <summary>Map viewer, point values, previews, colormaps and legends.</summary>
public static class ViewerEndpoints
{
    public static IEndpointRouteBuilder MapViewerEndpoints(this IEndpointRouteBuilder app)
    {
        var datasets = app.MapGroup("/datasets").WithTags("Viewer");
        datasets.MapMethods("/{dataset}/point", ["GET", "HEAD"], PointAsync)
            .WithName("GetPointValues")
            .WithSummary("Decoded values at a point, for every variable and every value of the other dimensions")
            .WithDescription("`lon`, `lat` (WGS84 degrees, required); `variable` (repeatable or comma-separated; default all); `sel=dim=value` " +
                "(repeatable) and `sel_method=nearest` narrow the other dimensions. Reads the finest level's cell containing the point. " +
                "Response: `{lon, lat, values: [{variable, dims: {dim: value}, value}]}`; time dimensions as ISO 8601, other coordinates as " +
                "numbers, a band without coordinates as its 1-based number, other coordinate-less dimensions as their 0-based index; " +
                "`value` null for nodata or a point outside the data. At most TileServer:Tiles:MaxPointEntries entries (400 beyond).")
            .Produces<JsonObject>(200).ProducesProblem(400).ProducesProblem(404);
        datasets.MapMethods("/{dataset}/preview.{format}", ["GET", "HEAD"], PreviewAsync)
            .WithName("GetPreview")
            .WithSummary("A size-bounded image of a whole variable, in the dataset's native grid, north up")
            .WithDescription("`format`: png, webp or jpg. `max_size` (longest edge, at most TileServer:Tiles:MaxPreviewSize, which is also the default) " +
                "plus the tile rendering parameters: variable, sel, sel_method, bidx, rescale, colormap_name, colormap, nodata, return_mask, quality. " +
                "Reads the coarsest level with at least max_size pixels on its longest edge, with a stride; no reprojection.")
            .Produces(200, contentType: "image/png", additionalContentTypes: ["image/webp", "image/jpeg"])
            .ProducesProblem(400).ProducesProblem(404);
        datasets.MapMethods("/{dataset}/legend.{format}", ["GET", "HEAD"], LegendAsync)
            .WithName("GetLegend")
            .WithSummary("Legend of a single-band rendering: `legend.png` (color bar, ticks, min/max labels, units) or `legend.json`")
            .WithDescription("Takes the tile parameters (variable, sel, bidx, rescale, colormap_name, colormap); what is not given falls back to the " +
                "same defaults tiles use, so legend.json also tells a client the effective rescale and colormap. For multi-band (RGB) renderings " +
                "legend.png is 404 (there is no color scale to draw) and legend.json describes the bands and their rescale.")
            .Produces(200, contentType: "image/png", additionalContentTypes: ["application/json"])
            .ProducesProblem(400).ProducesProblem(404);
        datasets.MapMethods("/{dataset}/viewer", ["GET", "HEAD"], ViewerPage)
            .WithName("GetViewer")
            .WithSummary("Web map viewer for the dataset (MapLibre GL JS served by this server; no internet needed)")
            .WithDescription("Variable chooser, time slider and selectors for other dimensions, colormap and rescale inputs, legend, click-to-read values.")
            .Produces(200, contentType: "text/html").ProducesProblem(404).ProducesProblem(503);

        app.MapMethods("/viewer/{**path}", ["GET", "HEAD"], Asset)
            .WithTags("Viewer").WithName("GetViewerAsset")
            .WithSummary("Static files of the viewer (viewer.js, MapLibre GL JS and its CSS)")
            .Produces(200, contentType: "text/javascript", additionalContentTypes: ["text/css"]).ProducesProblem(404);

        var colormaps = app.MapGroup("/colorMaps").WithTags("Colormaps");
        colormaps.MapMethods("", ["GET", "HEAD"], ListColormaps)
            .WithName("ListColormaps")
            .WithSummary("Names of the built-in colormaps (each also reversed with `_r`), with links")
            .Produces<JsonObject>(200);
        colormaps.MapMethods("/{colorMapId}", ["GET", "HEAD"], GetColormap)
            .WithName("GetColormap")
            .WithSummary("A colormap as TiTiler gives it: `{\"0\": [r, g, b, a], ..., \"255\": [...]}`; `format=png` for a 256×20 bar")
            .Produces<JsonObject>(200).Produces(200, contentType: "image/png").ProducesProblem(404);
        return app;
    }

    private static async Task<IResult> PointAsync(HttpContext context, string dataset, DatasetCatalog catalog, HttpCaching caching, ReaderOptions options)
    {
        var parameters = context.Request.Parameters();
        parameters.RequireKnown(PointRequest.KnownParameters);
        var (lon, lat, request) = PointRequest.Parse(parameters, options.MaxTileSize);
        var reader = await catalog.RequireAsync(dataset, context.RequestAborted).ConfigureAwait(false);
        string etag = HttpCaching.ETag(reader.Version, "point/" + reader.Id + context.Request.QueryString.Value);
        if (caching.TryNotModified(context, etag, isTile: false))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var values = await reader.PointAsync(lon, lat, request, context.RequestAborted).ConfigureAwait(false);
        return Results.Bytes(PointDocuments.ToJson(values), "application/json");
    }

    private static async Task<IResult> PreviewAsync(HttpContext context, string dataset, string format, DatasetCatalog catalog, TileService tiles,
        HttpCaching caching, ReaderOptions options)
    {
        var imageFormat = ViewerRequests.PreviewFormat(format);
        Standards.ContentNegotiation.EnsureNotRefused(context.Request, imageFormat.ContentType());
        var parameters = context.Request.Parameters();
        int maxSize = ViewerRequests.PreviewMaxSize(parameters, Math.Clamp(options.MaxPreviewSize, 1, TileRenderer.MaxDimension));
        parameters.RequireKnown(TileQuery.KnownParameters, "max_size");
        var query = TileQuery.Parse(parameters, options.MaxTileSize);
        var reader = await catalog.RequireAsync(dataset, context.RequestAborted).ConfigureAwait(false);
        string etag = HttpCaching.ETag(reader.Version, string.Create(CultureInfo.InvariantCulture, $"preview/{reader.Id}/{imageFormat}/{maxSize}?{query.Normalized()}"));
        if (caching.TryNotModified(context, etag, isTile: true))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var request = query.Read;
        var (style, stretchSource) = await tiles.ResolveStyleAndSourceAsync(reader, query, imageFormat, context.RequestAborted).ConfigureAwait(false);
        var lease = await tiles.AdmitAsync(context, reader, request, maxSize, maxSize, context.RequestAborted).ConfigureAwait(false);
        using var data = await reader.PreviewAsync(maxSize, request, context.RequestAborted).ConfigureAwait(false);
        var image = tiles.Render(data, TileService.WithFallbackStretch(style, stretchSource, data), imageFormat, query, context.RequestAborted);
        lease.Rendered(image.Bytes.Length);
        if (TileService.IsFallback(stretchSource))
        {
            HttpCaching.NotCacheable(context);
        }

        context.Response.Headers["X-Preview-Level"] = data.LevelPath is { Length: > 0 } p ? p : "/";
        context.Response.Headers["X-Preview-Step"] = data.Step.ToString(CultureInfo.InvariantCulture);
        return Results.Bytes(image.Bytes, image.ContentType);
    }

    private static async Task<IResult> LegendAsync(HttpContext context, string dataset, string format, DatasetCatalog catalog, TileService tiles,
        LegendRenderer legends, HttpCaching caching, ReaderOptions options)
    {
        bool png = ViewerRequests.IsPngLegend(format);
        var parameters = context.Request.Parameters();
        parameters.RequireKnown(TileQuery.KnownParameters);
        var query = TileQuery.Parse(parameters, options.MaxTileSize);
        var reader = await catalog.RequireAsync(dataset, context.RequestAborted).ConfigureAwait(false);
        var request = query.Read;
        var bands = reader.Bands(request);
        int bandCount = reader.OutputBandCount(request);
        var style = await tiles.ResolveStyleAsync(reader, query, ImageFormat.Png, context.RequestAborted).ConfigureAwait(false);
        string etag = HttpCaching.ETag(reader.Version, $"legend/{reader.Id}/{format.ToLowerInvariant()}/{legends.HasFont}?{query.Normalized()}");
        if (caching.TryNotModified(context, etag, isTile: false))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var variable = reader.Dataset.FindVariable(bands[0].Variable)!;
        if (bandCount > 1)
        {
            return png
                ? throw new NotFoundException("No legend for a multi-band rendering",
                    $"This request composes {bandCount} bands into RGB(A); there is no color scale to draw. legend.json describes the bands and their rescale.")
                : Results.Json(LegendDocuments.Composite(reader.Id, bands.Select(b => b.Variable), variable, bandCount, style.Rescale));
        }

        var spec = LegendDocuments.Spec(variable, request.Expression, style);
        if (png)
        {
            return Results.Bytes(legends.RenderPng(spec), "image/png");
        }

        string normalized = query.Normalized();
        string image = $"{RequestUrls.BaseUrl(context.Request)}/datasets/{reader.Id}/legend.png" + (normalized.Length > 0 ? "?" + normalized : "");
        return Results.Json(LegendDocuments.Single(reader.Id, spec, legends.HasFont, image));
    }

    private static async Task<IResult> ViewerPage(HttpContext context, string dataset, DatasetCatalog catalog, ViewerAssets assets)
    {
        var reader = await catalog.RequireAsync(dataset, context.RequestAborted).ConfigureAwait(false);
        if (assets.Missing.Count > 0)
        {
            throw new FeatureUnavailableException($"The viewer's files are missing from '{assets.Root}': {string.Join(", ", assets.Missing)}. Build the API project with npm available (Viewer.targets runs npm ci).");
        }

        string pathBase = context.Request.PathBase.Value ?? "";
        // Blue Marble under other datasets gives the map a basemap that needs no internet.
        string? basemap = reader.Id != "demo" && catalog.Contains("demo") && (await catalog.GetAsync("demo", context.RequestAborted).ConfigureAwait(false))?.Reader is not null ? "demo" : null;
        var config = new ViewerPageConfig(reader.Id, reader.Dataset.Title, pathBase, pathBase + "/" + ViewerAssets.Folder, basemap);
        context.Response.Headers.CacheControl = "no-cache";
        return Results.Content(assets.Page(config), "text/html; charset=utf-8");
    }

    private static IResult Asset(HttpContext context, string path, ViewerAssets assets)
    {
        if (!assets.TryGet(path, out var asset))
        {
            throw new NotFoundException("Unknown viewer file", $"The viewer has no file '{path}'.");
        }

        context.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.File(asset.FullPath, asset.ContentType, lastModified: asset.LastModified,
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue(asset.ETag));
    }

    private static IResult ListColormaps(HttpContext context, ColormapRegistry registry, HttpCaching caching)
    {
        caching.SetMetadataCaching(context);
        return Results.Json(ColormapDocuments.List(registry.Names, RequestUrls.BaseUrl(context.Request)));
    }

    private static IResult GetColormap(HttpContext context, string colorMapId, ColormapRegistry registry, HttpCaching caching)
    {
        if (!registry.TryGet(colorMapId, out var colormap))
        {
            throw new NotFoundException("Unknown colormap", $"No colormap '{colorMapId}'; see /colorMaps for the list.", "colorMapId");
        }

        caching.SetMetadataCaching(context);
        string? format = context.Request.Query["format"].FirstOrDefault();
        if (format is { Length: > 0 } && !format.Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            return format.Equals("png", StringComparison.OrdinalIgnoreCase)
                ? Results.Bytes(LegendRenderer.RenderColormapPng(colormap, 256, 20), "image/png")
                : throw new BadRequestException("format", $"format must be json or png, not '{format}'.");
        }

        return Results.Json(ColormapDocuments.Entries(colormap));
    }
}
