using System.Text.Json.Nodes;

namespace TileServer.Api.Endpoints.Standards;

/// <summary>OGC standards: landing page, conformance, OGC API - Tiles, WMTS 1.0, WMS 1.3.0.</summary>
public static class StandardsEndpoints
{
    public static IServiceCollection AddStandardsServices(this IServiceCollection services)
    {
        services.AddSingleton<WmtsHandler>();
        services.AddSingleton<OgcApiHandler>();
        services.AddSingleton<WmsHandler>();
        return services;
    }

    public static IEndpointRouteBuilder MapStandardsEndpoints(this IEndpointRouteBuilder app)
    {
        string[] getHead = ["GET", "HEAD"];
        app.MapMethods("/", getHead, (HttpContext c, OgcApiHandler h) => h.LandingAsync(c))
            .WithTags("OGC API").WithName("LandingPage").WithSummary("Landing page (JSON, or HTML for browsers / f=html)")
            .Produces<JsonObject>(200).Produces(200, contentType: "text/html");
        app.MapMethods("/conformance", getHead, (HttpContext c, OgcApiHandler h) => h.Conformance(c))
            .WithTags("OGC API").WithName("Conformance").WithSummary("OGC API conformance classes implemented").Produces<JsonObject>(200);
        app.MapMethods("/collections", getHead, (HttpContext c, OgcApiHandler h) => h.CollectionsAsync(c))
            .WithTags("OGC API").WithName("Collections").WithSummary("One collection per (open) dataset").Produces<JsonObject>(200);
        app.MapMethods("/collections/{collectionId}", getHead, (HttpContext c, string collectionId, OgcApiHandler h) => h.CollectionAsync(c, collectionId))
            .WithTags("OGC API").WithName("Collection").WithSummary("A collection: extent and links to its map tilesets").Produces<JsonObject>(200).ProducesProblem(404);
        app.MapMethods("/collections/{collectionId}/map/tiles", getHead, (HttpContext c, string collectionId, OgcApiHandler h) => h.TileSetsAsync(c, collectionId))
            .WithTags("OGC API").WithName("CollectionMapTileSets").WithSummary("The map tilesets of a collection (one per offered TileMatrixSet)").Produces<JsonObject>(200).ProducesProblem(404);
        app.MapMethods("/collections/{collectionId}/map/tiles/{tileMatrixSetId}", getHead,
                (HttpContext c, string collectionId, string tileMatrixSetId, OgcApiHandler h) => h.TileSetAsync(c, collectionId, tileMatrixSetId))
            .WithTags("OGC API").WithName("CollectionMapTileSet")
            .WithSummary("Tileset metadata (TMS 2.0 tileSet): limits, bounds and the tile URL templates")
            .WithDescription("Accepts the tile rendering parameters (variable, sel, rescale, colormap_name, ...) and datetime, and carries them into the templates.")
            .Produces<JsonObject>(200).ProducesProblem(400).ProducesProblem(404);
        app.MapMethods("/collections/{collectionId}/map/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", getHead,
                (HttpContext c, string collectionId, string tileMatrixSetId, string tileMatrix, string tileRow, string tileCol, OgcApiHandler h)
                    => h.TileAsync(c, collectionId, tileMatrixSetId, tileMatrix, tileRow, tileCol))
            .WithTags("OGC API").WithName("CollectionMapTile")
            .WithSummary("A map tile: row before column; format by f=png|webp|jpg, Accept, or a .png/.webp/.jpg suffix on the column")
            .WithDescription("Same rendering query parameters as /tiles, plus datetime (RFC 3339 instant: the nearest time; interval start/end with '..' for open ends: the latest time inside). Out-of-matrix tiles are 404; a tile outside the data is transparent.")
            .Produces(200, contentType: "image/png", additionalContentTypes: ["image/webp", "image/jpeg"])
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(406);

        app.MapMethods("/wmts", getHead, (HttpContext c, WmtsHandler h) => h.KvpOrWmsAsync(c))
            .WithTags("WMTS").WithName("WmtsKvp")
            .WithSummary("WMTS 1.0.0 KVP: SERVICE=WMTS&REQUEST=GetCapabilities | GetTile (parameter names case-insensitive)")
            .WithDescription("GetTile: LAYER={dataset}.{variable}, STYLE=default or a colormap name, FORMAT=image/png|image/webp|image/jpeg, TILEMATRIXSET, TILEMATRIX, TILEROW, TILECOL, and one parameter per layer Dimension (e.g. TIME; its Default when absent). Errors are OWS ExceptionReport XML.")
            .Produces(200, contentType: "application/xml", additionalContentTypes: ["image/png", "image/webp", "image/jpeg"]);
        app.MapMethods("/wmts/1.0.0/WMTSCapabilities.xml", getHead, (HttpContext c, WmtsHandler h) => h.RestCapabilitiesAsync(c))
            .WithTags("WMTS").WithName("WmtsCapabilities").WithSummary("WMTS 1.0.0 capabilities (RESTful)").Produces(200, contentType: "application/xml");
        app.MapMethods("/wmts/1.0.0/{**path}", getHead, (HttpContext c, string path, WmtsHandler h) => h.RestTileAsync(c, path))
            .WithTags("WMTS").WithName("WmtsRestTile")
            .WithSummary("WMTS RESTful tile: {layer}/{style}[/{dimension value}...]/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.{png|webp|jpg}")
            .Produces(200, contentType: "image/png", additionalContentTypes: ["image/webp", "image/jpeg", "application/xml"]);
        app.MapMethods("/wms", getHead, (HttpContext c, WmsHandler h) => h.HandleAsync(c))
            .WithTags("WMS").WithName("Wms")
            .WithSummary("WMS 1.3.0: REQUEST=GetCapabilities | GetMap | GetFeatureInfo | GetLegendGraphic (parameter names case-insensitive)")
            .WithDescription("GetMap: LAYERS={dataset}.{variable} (one), STYLES=default or a colormap name, CRS (CRS:84, EPSG:4326 with BBOX in lat,lon order, EPSG:3857, " +
                "the data's CRS, any listed code), BBOX, WIDTH, HEIGHT (up to TileServer:Wms:MaxWidth/MaxHeight), FORMAT=image/png|image/jpeg|image/webp|application/x-npy, " +
                "TRANSPARENT, BGCOLOR, TIME, ELEVATION, DIM_{name}, EXCEPTIONS=XML|INIMAGE|BLANK, plus the tile rendering parameters (rescale, colormap_name, resampling, ...). " +
                "GetFeatureInfo adds QUERY_LAYERS, I, J and INFO_FORMAT=application/json (as /point)|text/html|text/plain. GetLegendGraphic: LAYER, STYLE. " +
                "Errors are WMS 1.3.0 ServiceExceptionReport XML.")
            .Produces(200, contentType: "text/xml", additionalContentTypes: ["image/png", "image/jpeg", "image/webp", "application/x-npy", "application/json", "text/html", "text/plain"]);
        return app;
    }
}
