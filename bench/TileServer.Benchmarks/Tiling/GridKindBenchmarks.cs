using BenchmarkDotNet.Attributes;
using TileServer.Crs;
using TileServer.Tiling;

namespace TileServer.Benchmarks.Tiling;

/// <summary>
/// Plan + resampling of one 256 px WebMercatorQuad tile (one band) from a 2048 x 1024 global grid of each kind: regular
/// (affine), irregular (unevenly spaced latitudes: a binary search per output row), curvilinear (2-D longitude/latitude
/// of every cell, warped: a cell-index lookup per approximation node). Same cell count and tiles for all three.
/// Run: dotnet run -c Release --project bench/TileServer.Benchmarks -- --filter '*GridKindBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class GridKindBenchmarks
{
    private const int Size = 256;
    private const int Width = 2048;
    private const int Height = 1024;
    private readonly float[] _values = new float[Size * Size];
    private readonly int[] _indices = new int[Size * Size];
    private GridGeometry _grid = null!;
    private ICoordinateTransform _toGrid = null!;
    private float[] _source = [];

    [Params("regular", "irregular", "curvilinear")]
    public string Kind { get; set; } = "";

    /// <summary>z/x/y: 1/1/0 reads 4 source cells per output pixel; 6/40/25 magnifies 8 times.</summary>
    [Params("1/1/0", "3/4/2", "6/40/25")]
    public string Tile { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var crs = new CrsRegistry();
        var wgs84 = crs.FromCode("EPSG:4326");
        double dx = 360.0 / Width, dy = 180.0 / Height;
        var regular = new AffineTransform(dx, 0, -180, 0, -dy, 90);
        _grid = Kind switch
        {
            "regular" => new GridGeometry(wgs84, regular, Width, Height),
            "irregular" => GridGeometry.Rectilinear(wgs84, regular, null, StretchedLatitudes(), Width, Height),
            _ => GridGeometry.Curvilinear(wgs84, WarpedCells()),
        };
        _toGrid = crs.CreateTransform(crs.FromCode("EPSG:3857"), wgs84);
        _source = new float[Width * Height];
        var random = new Random(42);
        for (var i = 0; i < _source.Length; i++) _source[i] = random.Next(256);
    }

    [Benchmark(Description = "plan + nearest")]
    public float Nearest()
    {
        using var plan = Plan(ResamplingMethod.Nearest);
        var buffer = _source.AsSpan(0, (int)plan.BufferPixelCount);
        if (plan.IsSeparable)
        {
            Span<int> colIndex = stackalloc int[Size];
            Span<int> rowOffset = stackalloc int[Size];
            Resampler.NearestAxes(plan, colIndex, rowOffset);
            Resampler.GatherAxes(buffer, colIndex, rowOffset, _values);
        }
        else
        {
            Resampler.NearestIndices(plan, _indices);
            Resampler.Gather(buffer, _indices, _values);
        }

        return _values[^1];
    }

    [Benchmark(Description = "plan + bilinear")]
    public float Bilinear()
    {
        using var plan = Plan(ResamplingMethod.Bilinear);
        Resampler.Resample(_source.AsSpan(0, (int)plan.BufferPixelCount), plan, ResamplingMethod.Bilinear, _values);
        return _values[^1];
    }

    /// <summary>Rows closer together towards the equator (north first), as the latitudes of stretched grids run.</summary>
    private static IrregularAxis StretchedLatitudes()
    {
        var lat = new double[Height];
        for (int j = 0; j < Height; j++)
        {
            double s = 1 - ((2.0 * j + 1) / Height);
            lat[j] = 89.9 * ((0.6 * s) + (0.4 * s * s * s));
        }

        return IrregularAxis.TryCreate(lat, out _) ?? throw new InvalidOperationException("latitudes are evenly spaced");
    }

    /// <summary>The regular grid's centres moved by up to a few tenths of a degree in both directions.</summary>
    private static CurvilinearGrid WarpedCells()
    {
        var lon = new double[Width * Height];
        var lat = new double[Width * Height];
        for (int j = 0; j < Height; j++)
        {
            for (int i = 0; i < Width; i++)
            {
                double x = -180 + ((i + 0.5) * 360.0 / Width), y = 90 - ((j + 0.5) * 180.0 / Height);
                lon[(j * Width) + i] = x + (0.3 * Math.Sin(y * Math.PI / 45));
                lat[(j * Width) + i] = y + (0.2 * Math.Sin(x * Math.PI / 60) * Math.Cos(y * Math.PI / 180));
            }
        }

        return CurvilinearGrid.Create(lon, lat, Width, Height, 256L << 20);
    }

    private WarpPlan Plan(ResamplingMethod method)
    {
        var parts = Tile.Split('/').Select(int.Parse).ToArray();
        double half = 20037508.342789244, span = 2 * half / (1 << parts[0]);
        var bounds = new Extent(-half + (parts[1] * span), half - ((parts[2] + 1) * span), -half + ((parts[1] + 1) * span), half - (parts[2] * span));
        return WarpPlanner.Plan(bounds, Size, Size, _grid, _toGrid, method, new TileServer.Reading.ReaderOptions().Warp);
    }
}
