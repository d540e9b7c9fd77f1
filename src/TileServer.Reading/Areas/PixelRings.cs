using NetTopologySuite.Densify;
using NetTopologySuite.Geometries;
using TileServer.Crs;

namespace TileServer.Reading.Areas;

/// <summary>One ring of a polygon in a raster's pixel space (x = column, y = row, both continuous), closed (last = first).</summary>
public sealed record PixelRing(double[] X, double[] Y, bool IsHole);

/// <summary>
/// Puts an area into the pixel space of a north-up raster: the geometry's edges are densified (a straight edge in one
/// CRS is a curve in another), every vertex is transformed into the raster's CRS, then scaled to columns and rows.
/// </summary>
public static class PixelRings
{
    /// <summary>Vertices added per edge at most by densification.</summary>
    private const int SegmentsPerEnvelope = 128;

    public static IReadOnlyList<PixelRing> Of(AreaGeometry area, ICoordinateTransform? toRasterCrs, Extent rasterBounds, int width, int height)
    {
        var geometry = area.Geometry;
        if (toRasterCrs is not null)
        {
            var env = geometry.EnvelopeInternal;
            double tolerance = Math.Max(env.Width, env.Height) / SegmentsPerEnvelope;
            if (tolerance > 0)
            {
                geometry = Densifier.Densify(geometry, tolerance);
            }
        }

        double sx = width / rasterBounds.Width, sy = height / rasterBounds.Height;
        var rings = new List<PixelRing>();
        for (int p = 0; p < geometry.NumGeometries; p++)
        {
            if (geometry.GetGeometryN(p) is not Polygon polygon)
            {
                continue;
            }

            rings.Add(Ring(polygon.ExteriorRing, false));
            foreach (var hole in polygon.InteriorRings)
            {
                rings.Add(Ring(hole, true));
            }
        }

        return rings;

        PixelRing Ring(LineString ring, bool isHole)
        {
            var coords = ring.CoordinateSequence;
            int n = coords.Count;
            var xs = new double[n];
            var ys = new double[n];
            for (int i = 0; i < n; i++)
            {
                xs[i] = coords.GetX(i);
                ys[i] = coords.GetY(i);
            }

            toRasterCrs?.Transform(xs, ys);
            for (int i = 0; i < n; i++)
            {
                if (!double.IsFinite(xs[i]) || !double.IsFinite(ys[i]))
                {
                    throw new BadRequestException("body", "The geometry lies (partly) outside the area where the data's coordinate reference system is defined.");
                }

                xs[i] = (xs[i] - rasterBounds.MinX) * sx;
                ys[i] = (rasterBounds.MaxY - ys[i]) * sy;
            }

            return new PixelRing(xs, ys, isHole);
        }
    }
}
