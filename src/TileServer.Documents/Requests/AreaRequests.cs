using System.Text.Json.Nodes;
using TileServer.Crs;
using TileServer.Reading;
using TileServer.Reading.Areas;
using TileServer.Reading.Raster;
using TileServer.Reading.Statistics;
using TileServer.Rendering;

namespace TileServer.Documents.Requests;

/// <summary>An area image: how it is drawn, its format, and the CRS and size of its grid (both null: the data's own cells).</summary>
public sealed record AreaImageRequest(TileQuery Query, ImageFormat Format, CrsInfo? DstCrs, (int Width, int Height)? Size);

/// <summary>
/// The area routes' requests (<c>/bbox</c>, <c>/feature</c>, <c>/statistics</c>) from their parameters, with the
/// values parsed by <see cref="AreaParameters"/> and the limits of <see cref="ReaderOptions"/>.
/// </summary>
public sealed class AreaRequests
{
    public static readonly string[] ImageParameters = [.. TileQuery.KnownParameters, "coord_crs", "dst_crs"];

    private readonly CrsRegistry _crs;
    private readonly ReaderOptions _options;

    public AreaRequests(CrsRegistry crs, ReaderOptions options)
    {
        _crs = crs;
        _options = options;
    }

    /// <summary>The CRS of the request's coordinates: <c>coord_crs</c>, longitude and latitude (EPSG:4326) when absent.</summary>
    public CrsInfo CoordinateCrs(RequestParameters query) => AreaParameters.Crs(query["coord_crs"], "coord_crs", _crs) ?? _crs.FromCode("EPSG:4326");

    /// <summary>An image of an area: the tile parameters, <c>dst_crs</c>, and the size segment (<c>{width}x{height}.{fmt}</c>, whose format wins).</summary>
    public AreaImageRequest Image(RequestParameters query, string? size, ImageFormat format)
    {
        query.RequireKnown(ImageParameters);
        var tiles = TileQuery.Parse(query, _options.MaxTileSize);
        var dstCrs = AreaParameters.Crs(query["dst_crs"], "dst_crs", _crs);
        (int W, int H)? pixels = null;
        if (size is not null)
        {
            var (sizeText, sizeFormat) = SplitFormat(size);
            format = sizeFormat;
            pixels = AreaParameters.Size(sizeText, RasterReader.MaxEdge);
        }

        return new AreaImageRequest(tiles, format, dstCrs, pixels);
    }

    /// <summary>Statistics: what to read, what to compute, and the CRS of the geometries.</summary>
    public (ReadRequest Request, StatisticsOptions Options, CrsInfo Crs) Statistics(RequestParameters query)
    {
        var tiles = TileQuery.Parse(query, _options.MaxTileSize);
        return (tiles.Read, AreaParameters.StatisticsOptions(query.List), CoordinateCrs(query));
    }

    /// <summary>A GeoJSON body's geometries, within the configured feature and vertex limits.</summary>
    public GeoJsonAreas ParseGeoJson(byte[] body) => GeoJsonReader.Parse(body, new GeoJsonLimits(_options.MaxFeatures, _options.MaxVertices));

    /// <summary>Splits "name.ext" at the last dot into the name and an image format (404 for anything else).</summary>
    public static (string Name, ImageFormat Format) SplitFormat(string segment)
    {
        int dot = segment.LastIndexOf('.');
        if (dot <= 0 || !ImageFormats.TryParse(segment[(dot + 1)..], out var format))
        {
            throw new NotFoundException("Unknown format", $"'{segment}' must end in .png, .webp, .jpg or .npy.", "format");
        }

        return (segment[..dot], format);
    }

    /// <summary>A box as the FeatureCollection of one polygon, the input statistics over <c>bbox=</c> answer with.</summary>
    public static GeoJsonAreas BoxFeatures(Extent box, AreaGeometry area)
    {
        var ring = new JsonArray(new JsonArray(box.MinX, box.MinY), new JsonArray(box.MaxX, box.MinY), new JsonArray(box.MaxX, box.MaxY), new JsonArray(box.MinX, box.MaxY), new JsonArray(box.MinX, box.MinY));
        var feature = new JsonObject
        {
            ["type"] = "Feature",
            ["bbox"] = new JsonArray(box.MinX, box.MinY, box.MaxX, box.MaxY),
            ["geometry"] = new JsonObject { ["type"] = "Polygon", ["coordinates"] = new JsonArray(ring) },
            ["properties"] = new JsonObject(),
        };
        return new GeoJsonAreas(new JsonObject { ["type"] = "FeatureCollection", ["features"] = new JsonArray(feature) }, [area.Geometry]);
    }
}
