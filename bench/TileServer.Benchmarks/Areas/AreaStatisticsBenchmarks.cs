using BenchmarkDotNet.Attributes;
using NetTopologySuite.Geometries;
using TileServer.Crs;
using TileServer.Reading.Areas;
using TileServer.Reading.Statistics;

namespace TileServer.Benchmarks.Areas;

/// <summary>
/// The compute part of <c>/statistics</c> over a polygon of about 1.1 million cells (a hexagon over a 2048 × 1024
/// global grid, the Blue Marble layout): rasterise the polygon (cell centres, or exact coverage of boundary cells)
/// and compute every statistic of one band. The read itself is measured end to end by bench/load/statistics.sh.
/// Run: dotnet run -c Release --project bench/TileServer.Benchmarks -- --filter '*AreaStatisticsBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class AreaStatisticsBenchmarks
{
    private float[] _values = [];
    private float[] _weights = [];
    private IReadOnlyList<PixelRing> _rings = [];
    private int _width;
    private int _height;

    /// <summary>8-bit imagery (integers 0..255: counted) or continuous values (radix-sorted).</summary>
    [Params("integers", "floats")]
    public string Values { get; set; } = "integers";

    [GlobalSetup]
    public void Setup()
    {
        var crs = new CrsRegistry().FromCode("EPSG:4326");
        var factory = new GeometryFactory();
        var hexagon = factory.CreatePolygon([new(-140, -60), new(140, -60), new(150, 0), new(140, 60), new(-140, 60), new(-150, 0), new(-140, -60)]);
        double cell = 360.0 / 2048;
        var bounds = new Extent(-150 - (0.3 * cell), -60 - (0.6 * cell), 150 + (0.7 * cell), 60 + (0.2 * cell));
        _width = (int)Math.Round(bounds.Width / cell);
        _height = (int)Math.Round(bounds.Height / cell);
        _rings = PixelRings.Of(new AreaGeometry(hexagon, crs), null, bounds, _width, _height);
        var random = new Random(42);
        _values = new float[_width * _height];
        for (int i = 0; i < _values.Length; i++)
        {
            _values[i] = Values == "integers" ? random.Next(256) : (float)(15 + (10 * random.NextDouble()));
        }

        _weights = new float[_values.Length];
    }

    [Benchmark(Baseline = true, Description = "centres + statistics")]
    public double Centres()
    {
        PolygonRasterizer.Centres(_rings, _width, _height, _weights);
        return StatisticsCalculator.Compute(_values, _weights, new StatisticsOptions()).Mean;
    }

    [Benchmark(Description = "exact coverage + weighted statistics")]
    public double Coverage()
    {
        PolygonRasterizer.Coverage(_rings, _width, _height, _weights);
        return StatisticsCalculator.Compute(_values, _weights, new StatisticsOptions()).Mean;
    }
}
