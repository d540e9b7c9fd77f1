using BenchmarkDotNet.Attributes;
using TileServer.Crs;
using TileServer.GeoZarr;
using TileServer.Reading;
using TileServer.Tiling;

namespace TileServer.Benchmarks.Tiling;

/// <summary>
/// Plan + nearest resampling of one 256 px WebMercatorQuad tile (3 bands) from a 2048 x 1024 EPSG:4326 grid, the
/// Blue Marble layout: per-axis (what the tile reader does on separable plans) against the per-pixel index map
/// (what it does for rotated grids and transforms that mix the axes).
/// Run: dotnet run -c Release --project bench/TileServer.Benchmarks -- --filter '*WarpBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class WarpBenchmarks
{
    private const int Size = 256;
    private const int Bands = 3;
    private readonly float[] _values = new float[Bands * Size * Size];
    private readonly int[] _indices = new int[Size * Size];
    private GridGeometry _grid = null!;
    private ICoordinateTransform _toGrid = null!;
    private float[] _source = [];

    /// <summary>z/x/y: 1/1/0 reads 4 source pixels per output pixel; 6/40/25 magnifies 8 times.</summary>
    [Params("1/1/0", "3/4/2", "6/40/25")]
    public string Tile { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var crs = new CrsRegistry();
        _grid = new GridGeometry(crs.FromCode("EPSG:4326"), new AffineTransform(360.0 / 2048, 0, -180, 0, -180.0 / 1024, 90), 2048, 1024);
        _toGrid = crs.CreateTransform(crs.FromCode("EPSG:3857"), _grid.Crs);
        _source = new float[2048 * 1024];
        var random = new Random(42);
        for (var i = 0; i < _source.Length; i++) _source[i] = random.Next(256);
    }

    [Benchmark(Baseline = true, Description = "plan + nearest per axis (separable)")]
    public float PerAxis()
    {
        using var plan = Plan();
        Span<int> colIndex = stackalloc int[Size];
        Span<int> rowOffset = stackalloc int[Size];
        Resampler.NearestAxes(plan, colIndex, rowOffset);
        var buffer = _source.AsSpan(0, (int)plan.BufferPixelCount);
        for (var b = 0; b < Bands; b++) Resampler.GatherAxes(buffer, colIndex, rowOffset, _values.AsSpan(b * Size * Size, Size * Size));
        return _values[^1];
    }

    [Benchmark(Description = "plan + nearest per pixel (index map)")]
    public float PerPixel()
    {
        using var plan = Plan();
        Resampler.NearestIndices(plan, _indices);
        var buffer = _source.AsSpan(0, (int)plan.BufferPixelCount);
        for (var b = 0; b < Bands; b++) Resampler.Gather(buffer, _indices, _values.AsSpan(b * Size * Size, Size * Size));
        return _values[^1];
    }

    [Benchmark(Description = "plan + bilinear")]
    public float Bilinear()
    {
        using var plan = Plan(ResamplingMethod.Bilinear);
        var buffer = _source.AsSpan(0, (int)plan.BufferPixelCount);
        for (var b = 0; b < Bands; b++) Resampler.Resample(buffer, plan, ResamplingMethod.Bilinear, _values.AsSpan(b * Size * Size, Size * Size));
        return _values[^1];
    }

    private WarpPlan Plan(ResamplingMethod method = ResamplingMethod.Nearest)
    {
        var parts = Tile.Split('/').Select(int.Parse).ToArray();
        double half = 20037508.342789244, span = 2 * half / (1 << parts[0]);
        var bounds = new Extent(-half + (parts[1] * span), half - ((parts[2] + 1) * span), -half + ((parts[1] + 1) * span), half - (parts[2] * span));
        return WarpPlanner.Plan(bounds, Size, Size, _grid, _toGrid, method, new TileServer.Reading.ReaderOptions().Warp);
    }
}
