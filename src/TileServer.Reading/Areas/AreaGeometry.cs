using NetTopologySuite.Geometries;
using TileServer.Crs;

namespace TileServer.Reading.Areas;

/// <summary>An area to read or summarise: a polygonal geometry (GIS axis order) and the CRS of its coordinates.</summary>
public sealed record AreaGeometry(Geometry Geometry, CrsInfo Crs)
{
    private static readonly GeometryFactory Factory = new();

    /// <summary>A box as a polygon (minx, miny, maxx, maxy in <paramref name="crs"/>).</summary>
    public static AreaGeometry FromBox(Extent box, CrsInfo crs)
    {
        if (!(box.MaxX > box.MinX && box.MaxY > box.MinY) || !double.IsFinite(box.Width) || !double.IsFinite(box.Height))
        {
            throw new BadRequestException("bbox", $"The box {box.MinX},{box.MinY},{box.MaxX},{box.MaxY} must have minx < maxx and miny < maxy, all finite.");
        }

        var ring = Factory.CreateLinearRing(
        [
            new Coordinate(box.MinX, box.MinY), new Coordinate(box.MaxX, box.MinY), new Coordinate(box.MaxX, box.MaxY),
            new Coordinate(box.MinX, box.MaxY), new Coordinate(box.MinX, box.MinY),
        ]);
        return new AreaGeometry(Factory.CreatePolygon(ring), crs);
    }

    /// <summary>The geometry's bounding box in its CRS.</summary>
    public Extent Envelope
    {
        get
        {
            var e = Geometry.EnvelopeInternal;
            return new Extent(e.MinX, e.MinY, e.MaxX, e.MaxY);
        }
    }
}
