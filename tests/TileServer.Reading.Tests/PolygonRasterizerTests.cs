using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using TileServer.Reading.Areas;

namespace TileServer.Reading.Tests;

/// <summary>The scanline and exact-coverage rasterisers against NetTopologySuite's point-in-polygon and polygon intersection.</summary>
public class PolygonRasterizerTests
{
    private static readonly GeometryFactory Factory = new();

    public static TheoryData<int> Seeds() => [1, 2, 3, 4, 5, 6];

    /// <summary>A random star-shaped polygon in pixel space (some with a hole), vertices off the half-pixel grid.</summary>
    private static Polygon RandomPolygon(int seed, int size)
    {
        var rng = new Random(seed);
        int n = rng.Next(5, 40);
        double cx = size / 2.0 + rng.NextDouble(), cy = size / 2.0 - rng.NextDouble();
        var outer = Enumerable.Range(0, n).Select(i =>
        {
            double a = 2 * Math.PI * i / n, r = size * (0.15 + (0.4 * rng.NextDouble()));
            return new Coordinate(cx + (r * Math.Cos(a)) + 0.013, cy + (r * Math.Sin(a)) + 0.007);
        }).ToList();
        outer.Add(outer[0]);
        var holes = seed % 2 == 0
            ? [Factory.CreateLinearRing([new(cx - 2.3, cy - 2.1), new(cx + 2.2, cy - 2.4), new(cx + 1.9, cy + 2.6), new(cx - 2.3, cy - 2.1)])]
            : Array.Empty<LinearRing>();
        return Factory.CreatePolygon(Factory.CreateLinearRing([.. outer]), holes);
    }

    private static IReadOnlyList<PixelRing> Rings(Polygon p)
    {
        // Pixel space = a raster whose bounds are (0, -size) .. (size, 0): x = column, y = -row.
        var flipped = (Polygon)p.Copy();
        flipped.Apply(new FlipY());
        return PixelRings.Of(new AreaGeometry(flipped, new TileServer.Crs.CrsRegistry().FromCode("EPSG:3857")), null, new TileServer.Crs.Extent(0, -64, 64, 0), 64, 64);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void CentresMatchPointInPolygon(int seed)
    {
        const int size = 64;
        var polygon = RandomPolygon(seed, size);
        var weights = new float[size * size];
        PolygonRasterizer.Centres(Rings(polygon), size, size, weights);
        var locator = new IndexedPointInAreaLocator(polygon);
        int inside = 0;
        for (int r = 0; r < size; r++)
        {
            for (int c = 0; c < size; c++)
            {
                bool expected = locator.Locate(new Coordinate(c + 0.5, r + 0.5)) == Location.Interior;
                Assert.True(expected == (weights[(r * size) + c] == 1f), $"seed {seed}: cell ({r}, {c}) inside={expected}");
                inside += expected ? 1 : 0;
            }
        }

        Assert.True(inside > 100);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void CoverageEqualsIntersectionArea(int seed)
    {
        const int size = 64;
        var polygon = RandomPolygon(seed, size);
        var weights = new float[size * size];
        PolygonRasterizer.Coverage(Rings(polygon), size, size, weights);
        double total = 0;
        for (int r = 0; r < size; r++)
        {
            for (int c = 0; c < size; c++)
            {
                var cell = Factory.ToGeometry(new Envelope(c, c + 1, r, r + 1));
                double expected = cell.Intersection(polygon).Area;
                Assert.True(Math.Abs(weights[(r * size) + c] - expected) < 1e-5, $"seed {seed}: cell ({r}, {c}) {weights[(r * size) + c]} vs {expected}");
                total += weights[(r * size) + c];
            }
        }

        Assert.Equal(polygon.Intersection(Factory.ToGeometry(new Envelope(0, size, 0, size))).Area, total, 1e-3);
    }

    private sealed class FlipY : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (int i = 0; i < seq.Count; i++)
            {
                seq.SetY(i, -seq.GetY(i));
            }
        }
    }
}
