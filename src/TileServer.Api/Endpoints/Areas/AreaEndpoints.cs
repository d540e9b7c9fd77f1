using System.Globalization;
using System.Text.Json.Nodes;
using TileServer.Reading.Areas;
using TileServer.Reading.Statistics;

namespace TileServer.Api.Endpoints.Areas;

/// <summary>Areas: <c>/bbox</c> and <c>/feature</c> images (native grid or resampled) and <c>/statistics</c> over boxes and GeoJSON.</summary>
public static class AreaEndpoints
{
    public static IEndpointRouteBuilder MapAreaEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/datasets").WithTags("Areas");
        const string imageDescription = "Without a size and without `dst_crs`: the cells of the data's own grid that the box touches, north up, " +
            "stored values (the finest level within TileServer:Tiles:MaxAreaPixels). With `{width}x{height}` and/or `dst_crs` (a CRS code): resampled " +
            "onto that grid. `coord_crs` is the CRS of the coordinates (default EPSG:4326 lon/lat). Takes the tile parameters (variable, sel, bidx, " +
            "expression, rescale, colormap_name, nodata, resampling...). Headers X-Area-Bounds, X-Area-Crs, X-Area-Level and X-Area-Step say what was read.";
        group.MapMethods("/{dataset}/bbox/{box}", ["GET", "HEAD"], (HttpContext c, string dataset, string box, AreaHandler h) => h.BoxAsync(c, dataset, box, null))
            .WithName("GetBoxImage").WithSummary("An image (or .npy values) of a box: `{minx},{miny},{maxx},{maxy}.{fmt}`").WithDescription(imageDescription)
            .Produces(200, contentType: "image/png", additionalContentTypes: ["image/webp", "image/jpeg", "application/x-npy"]).ProducesProblem(400).ProducesProblem(404);
        group.MapMethods("/{dataset}/bbox/{box}/{size}", ["GET", "HEAD"], (HttpContext c, string dataset, string box, string size, AreaHandler h) => h.BoxAsync(c, dataset, box, size))
            .WithName("GetBoxImageResampled").WithSummary("A box resampled to `{width}x{height}.{fmt}`").WithDescription(imageDescription)
            .Produces(200, contentType: "image/png", additionalContentTypes: ["image/webp", "image/jpeg", "application/x-npy"]).ProducesProblem(400).ProducesProblem(404);
        group.MapPost("/{dataset}/feature.{format}", (HttpContext c, string dataset, string format, AreaHandler h) => h.FeatureAsync(c, dataset, "feature." + format, null))
            .WithName("PostFeatureImage").WithSummary("An image of a GeoJSON geometry's box, cells whose centres lie outside it set to nodata")
            .WithDescription("Body: a GeoJSON Feature, FeatureCollection or (Multi)Polygon (application/geo+json or application/json; lon/lat unless coord_crs). " + imageDescription)
            .Accepts<JsonObject>("application/geo+json", "application/json")
            .Produces(200, contentType: "image/png", additionalContentTypes: ["image/webp", "image/jpeg", "application/x-npy"]).ProducesProblem(400).ProducesProblem(404);
        group.MapPost("/{dataset}/feature/{size}", (HttpContext c, string dataset, string size, AreaHandler h) => h.FeatureAsync(c, dataset, size, size))
            .WithName("PostFeatureImageResampled").WithSummary("A GeoJSON geometry's image resampled to `{width}x{height}.{fmt}`")
            .Accepts<JsonObject>("application/geo+json", "application/json")
            .Produces(200, contentType: "image/png", additionalContentTypes: ["image/webp", "image/jpeg", "application/x-npy"]).ProducesProblem(400).ProducesProblem(404);
        const string statisticsDescription = "Parameters: variable, sel (repeat a dimension's value for a time series: one entry per value), sel_method, bidx, " +
            "expression, nodata, categorical (count classes), c (classes to count), p (extra percentiles), histogram_bins (a count or edges), " +
            "histogram_range, coverage_method (center: cells whose centre is inside; cover: every touched cell weighted by its exact covered " +
            "fraction), coord_crs. Reads the native grid at the finest level whose window fits TileServer:Tiles:MaxAreaPixels; " +
            "properties.statistics_read says which level, stride and cell counts.";
        group.MapPost("/{dataset}/statistics", (HttpContext c, string dataset, AreaHandler h) => h.StatisticsAsync(c, dataset))
            .WithName("PostStatistics").WithSummary("Statistics over GeoJSON features: the FeatureCollection back with properties.statistics (TiTiler's shape)")
            .WithDescription(statisticsDescription).Accepts<JsonObject>("application/geo+json", "application/json")
            .Produces<JsonObject>(200, "application/geo+json").ProducesProblem(400).ProducesProblem(404);
        group.MapMethods("/{dataset}/statistics", ["GET", "HEAD"], (HttpContext c, string dataset, AreaHandler h) => h.BoxStatisticsAsync(c, dataset))
            .WithName("GetStatistics").WithSummary("Statistics over `bbox=W,S,E,N`: a FeatureCollection of that box with properties.statistics")
            .WithDescription(statisticsDescription).Produces<JsonObject>(200, "application/geo+json").ProducesProblem(400).ProducesProblem(404);
        return app;
    }
}

/// <summary>Binds an area request (<see cref="AreaRequests"/>), reads through the <see cref="DatasetReader"/>, renders and answers.</summary>
public sealed class AreaHandler(DatasetCatalog catalog, TileService tiles, HttpCaching caching, AreaRequests requests, ReaderOptions options)
{
    public async Task<IResult> BoxAsync(HttpContext context, string dataset, string box, string? size)
    {
        var (boxText, format) = size is null ? AreaRequests.SplitFormat(box) : (box, ImageFormat.Png);
        var area = AreaGeometry.FromBox(AreaParameters.Box(boxText, "bbox"), requests.CoordinateCrs(context.Request.Parameters()));
        var reader = await catalog.RequireAsync(dataset, context.RequestAborted).ConfigureAwait(false);
        return await ImageAsync(context, reader, area, size, format, maskOutside: false, "bbox/" + box).ConfigureAwait(false);
    }

    public async Task<IResult> FeatureAsync(HttpContext context, string dataset, string last, string? size)
    {
        var (_, format) = AreaRequests.SplitFormat(last);
        var reader = await catalog.RequireAsync(dataset, context.RequestAborted).ConfigureAwait(false);
        var input = await ReadGeoJsonAsync(context).ConfigureAwait(false);
        var area = new AreaGeometry(input.Union(), requests.CoordinateCrs(context.Request.Parameters()));
        return await ImageAsync(context, reader, area, size, format, maskOutside: true, null).ConfigureAwait(false);
    }

    public async Task<IResult> StatisticsAsync(HttpContext context, string dataset)
    {
        var parameters = context.Request.Parameters();
        parameters.RequireKnown(AreaParameters.StatisticsNames);
        var (request, options, crs) = requests.Statistics(parameters);
        var reader = await catalog.RequireAsync(dataset, context.RequestAborted).ConfigureAwait(false);
        var input = await ReadGeoJsonAsync(context).ConfigureAwait(false);
        var results = new List<AreaStatistics>(input.Geometries.Count);
        foreach (var geometry in input.Geometries)
        {
            results.Add(await reader.StatisticsAsync(new AreaGeometry(geometry, crs), request, options, context.RequestAborted).ConfigureAwait(false));
        }

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Server-Timing"] = ServerTiming(results);
        return Results.Text(StatisticsDocuments.FeatureCollection(input, results, options.CoverageWeighted).ToJsonString(), "application/geo+json");
    }

    public async Task<IResult> BoxStatisticsAsync(HttpContext context, string dataset)
    {
        var parameters = context.Request.Parameters();
        parameters.RequireKnown(AreaParameters.StatisticsNames, "bbox");
        var (request, options, crs) = requests.Statistics(parameters);
        string bboxText = parameters.First("bbox") ?? throw new BadRequestException("bbox", "bbox=minx,miny,maxx,maxy is required (or POST a GeoJSON body).");
        var box = AreaParameters.Box(bboxText, "bbox");
        var reader = await catalog.RequireAsync(dataset, context.RequestAborted).ConfigureAwait(false);
        string etag = HttpCaching.ETag(reader.Version, "statistics/" + reader.Id + context.Request.QueryString.Value);
        if (caching.TryNotModified(context, etag, isTile: false))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var area = AreaGeometry.FromBox(box, crs);
        var result = await reader.StatisticsAsync(area, request, options, context.RequestAborted).ConfigureAwait(false);
        context.Response.Headers["Server-Timing"] = ServerTiming([result]);
        return Results.Text(StatisticsDocuments.FeatureCollection(AreaRequests.BoxFeatures(box, area), [result], options.CoverageWeighted).ToJsonString(), "application/geo+json");
    }

    private static string ServerTiming(IReadOnlyList<AreaStatistics> results) => string.Create(CultureInfo.InvariantCulture,
        $"read;dur={results.Sum(r => r.Timings.Read):0.###}, select;dur={results.Sum(r => r.Timings.Select):0.###}, statistics;dur={results.Sum(r => r.Timings.Compute):0.###}");

    private async Task<GeoJsonAreas> ReadGeoJsonAsync(HttpContext context)
        => requests.ParseGeoJson(await AreaQuery.ReadBodyAsync(context.Request, options.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false));

    private async Task<IResult> ImageAsync(HttpContext context, DatasetReader reader, AreaGeometry area, string? size, ImageFormat format, bool maskOutside, string? cacheKey)
    {
        var image = requests.Image(context.Request.Parameters(), size, format);
        var query = image.Query;
        string? etag = cacheKey is null ? null : HttpCaching.ETag(reader.Version, $"{reader.Id}/{cacheKey}/{size}?{query.Normalized()}&{context.Request.Query["coord_crs"]}&{context.Request.Query["dst_crs"]}");
        if (etag is not null && caching.TryNotModified(context, etag, isTile: true))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var style = await tiles.ResolveStyleAsync(reader, query, image.Format, context.RequestAborted).ConfigureAwait(false);
        // A native-size area is sized by the read; it is admitted as a 1024² image (the read itself is bounded by MaxSourcePixelsPerTile).
        var lease = await tiles.AdmitAsync(context, reader, query.Read, image.Size?.Width ?? 1024, image.Size?.Height ?? 1024, context.RequestAborted).ConfigureAwait(false);
        using var data = await reader.AreaAsync(area, image.DstCrs, image.Size, query.Read, maskOutside, context.RequestAborted).ConfigureAwait(false);
        if (data.Width > TileRenderer.MaxDimension || data.Height > TileRenderer.MaxDimension)
        {
            throw new TooLargeException($"The image would be {data.Width} × {data.Height} pixels; at most {TileRenderer.MaxDimension} a side. Give a size or a smaller box.", "bbox");
        }

        var rendered = tiles.Render(data, style, image.Format, query, context.RequestAborted);
        lease.Rendered(rendered.Bytes.Length);
        var headers = context.Response.Headers;
        headers["X-Area-Bounds"] = string.Join(",", data.Bounds.ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        headers["X-Area-Crs"] = data.Crs.Code ?? "custom";
        headers["X-Area-Level"] = data.LevelPath.Length > 0 ? data.LevelPath : "/";
        headers["X-Area-Step"] = data.Step.ToString(CultureInfo.InvariantCulture);
        headers.AccessControlExposeHeaders = "X-Area-Bounds, X-Area-Crs, X-Area-Level, X-Area-Step";
        if (etag is null)
        {
            headers.CacheControl = "no-store";
        }

        return Results.Bytes(rendered.Bytes, rendered.ContentType);
    }
}
