using TileServer.Crs;
using TileServer.GeoZarr;

namespace TileServer.Tiling.Tests;

public class WarpTests
{
    private static readonly CrsRegistry Crs = new();
    // The planner's options as the tests were written against (the server's defaults live in the reader's options).
    private static readonly WarpOptions Defaults = new() { ApproxErrorPixels = 0.02, MaxSourcePixels = 4_000_000 };

    /// <summary>Metric grid with square cells of <paramref name="res"/> whose outer top-left corner is (x0, y0).</summary>
    private static GridGeometry Metric(double x0, double y0, double res, int w, int h) => new(TestCrs.WebMercator, new AffineTransform(res, 0, x0, 0, -res, y0), w, h);

    /// <summary>Fills the plan's source buffer through its pieces from a function of the full-resolution (row, col).</summary>
    private static float[] Buffer(WarpPlan plan, GridGeometry grid, Func<long, long, float> f)
    {
        var buf = new float[plan.BufferPixelCount];
        foreach (var p in plan.Pieces)
        {
            var w = p.Window;
            Assert.InRange(w.Row, 0, grid.Height - 1);
            Assert.InRange(w.Col, 0, grid.Width - 1);
            Assert.InRange(w.Row + ((long)(w.Rows - 1) * w.Step), 0, grid.Height - 1);
            Assert.InRange(w.Col + ((long)(w.Cols - 1) * w.Step), 0, grid.Width - 1);
            for (int r = 0; r < w.Rows; r++)
            {
                for (int c = 0; c < w.Cols; c++)
                {
                    buf[(r * plan.BufferCols) + p.DestCol + c] = f(w.Row + ((long)r * w.Step), w.Col + ((long)c * w.Step));
                }
            }
        }

        return buf;
    }

    private static float[] Render(Extent tile, int size, GridGeometry grid, ICoordinateTransform? t, ResamplingMethod m, Func<long, long, float> f, WarpOptions? o = null) =>
        Render(tile, size, size, grid, t, m, f, o);

    private static float[] Render(Extent tile, int w, int h, GridGeometry grid, ICoordinateTransform? t, ResamplingMethod m, Func<long, long, float> f, WarpOptions? o = null)
    {
        using var plan = WarpPlanner.Plan(tile, w, h, grid, t, m, o ?? Defaults);
        var dst = new float[w * h];
        var buf = plan.AnyInside ? Buffer(plan, grid, f) : [];
        Resampler.Resample(buf, plan, m, dst);
        return dst;
    }

    private static float Ramp(long r, long c) => c + (1000f * r);

    [Theory]
    [InlineData(ResamplingMethod.Nearest)]
    [InlineData(ResamplingMethod.Bilinear)]
    [InlineData(ResamplingMethod.Cubic)]
    [InlineData(ResamplingMethod.Average)]
    [InlineData(ResamplingMethod.Mode)]
    public void Identity_mapping_reproduces_the_source(ResamplingMethod method)
    {
        // WebMercatorQuad level 3 grid (2048²), tile 3/4/2.
        double res = 156543.03392804097 / 8, half = 20037508.342789244;
        var grid = Metric(-half, half, res, 2048, 2048);
        var tile = new Extent(-half + (4 * 256 * res), half - (3 * 256 * res), -half + (5 * 256 * res), half - (2 * 256 * res));
        var outp = Render(tile, 256, grid, null, method, Ramp);
        for (int j = 0; j < 256; j++)
        {
            for (int i = 0; i < 256; i++)
            {
                Assert.Equal(Ramp(512 + j, 1024 + i), outp[(j * 256) + i]);
            }
        }
    }

    [Fact]
    public void Bilinear_2x_upsample_interpolates_linearly_and_gives_midpoints()
    {
        var grid = Metric(0, 4, 1, 4, 4);
        var outp = Render(new Extent(0, 0, 4, 4), 8, grid, null, ResamplingMethod.Bilinear, (r, c) => c + (10f * r));
        for (int j = 0; j < 8; j++)
        {
            for (int i = 0; i < 8; i++)
            {
                // Interior: linear in the continuous coordinate; at the outer half-pixel the outside neighbour has no
                // weight (renormalised) so the edge sample is repeated.
                double x = Math.Clamp(((i + 0.5) / 2) - 0.5, 0, 3), y = Math.Clamp(((j + 0.5) / 2) - 0.5, 0, 3);
                Assert.Equal(x + (10 * y), outp[(j * 8) + i], 5);
            }
        }

        // A single output pixel centred on the edge between two source cells (0 and 10) gets the midpoint.
        var two = Metric(0, 1, 1, 2, 1);
        Assert.Equal(5f, Render(new Extent(0.5, 0, 1.5, 1), 1, two, null, ResamplingMethod.Bilinear, (_, c) => 10f * c)[0]);
        // Nearest at that tie takes the right-hand cell (floor(x + 1e-10), as GDAL).
        Assert.Equal(10f, Render(new Extent(0.5, 0, 1.5, 1), 1, two, null, ResamplingMethod.Nearest, (_, c) => 10f * c)[0]);
    }

    [Theory]
    [InlineData(ResamplingMethod.Bilinear)]
    [InlineData(ResamplingMethod.Cubic)]
    [InlineData(ResamplingMethod.Average)]
    public void Nodata_never_bleeds_into_neighbours(ResamplingMethod method)
    {
        var grid = Metric(0, 8, 1, 8, 8);
        float F(long r, long c) => (r, c) is (3, 3) or (3, 4) ? float.NaN : 5f;
        var up = Render(new Extent(0, 0, 8, 8), 32, grid, null, method, F);
        for (int j = 0; j < 32; j++)
        {
            for (int i = 0; i < 32; i++)
            {
                // NaN exactly where the containing source cell is nodata; elsewhere renormalised weights over a
                // constant field give exactly the constant (no darkening towards the hole).
                float v = up[(j * 32) + i];
                if (j / 4 == 3 && i / 4 is 3 or 4)
                {
                    Assert.True(float.IsNaN(v), $"{method} ({i},{j}) = {v}");
                }
                else
                {
                    Assert.True(Math.Abs(v - 5f) < 1e-5, $"{method} ({i},{j}) = {v}");
                }
            }
        }

        var near = Render(new Extent(0, 0, 8, 8), 8, grid, null, ResamplingMethod.Nearest, F);
        Assert.Equal([27, 28], Enumerable.Range(0, 64).Where(k => float.IsNaN(near[k])));
    }

    [Fact]
    public void Cubic_reproduces_linear_ramps_inside()
    {
        var grid = Metric(0, 16, 1, 16, 16);
        var outp = Render(new Extent(4, 4, 12, 12), 16, grid, null, ResamplingMethod.Cubic, (r, c) => (2f * c) - (3f * r));
        for (int j = 0; j < 16; j++)
        {
            for (int i = 0; i < 16; i++)
            {
                double col = 4 + ((i + 0.5) / 2) - 0.5, row = 4 + ((j + 0.5) / 2) - 0.5;
                Assert.Equal((2 * col) - (3 * row), outp[(j * 16) + i], 4);
            }
        }
    }

    [Fact]
    public void Average_and_mode_use_the_output_pixel_footprint()
    {
        var grid = Metric(0, 16, 1, 16, 16);
        float F(long r, long c) => r == 0 && c < 4 ? float.NaN : (r < 4 && c < 4 ? 1f : (r * 16) + c);
        var avg = Render(new Extent(0, 0, 16, 16), 4, grid, null, ResamplingMethod.Average, F);
        for (int J = 0; J < 4; J++)
        {
            for (int I = 0; I < 4; I++)
            {
                double sum = 0;
                int n = 0;
                for (int r = 4 * J; r < (4 * J) + 4; r++)
                {
                    for (int c = 4 * I; c < (4 * I) + 4; c++)
                    {
                        float v = F(r, c);
                        if (!float.IsNaN(v))
                        {
                            sum += v;
                            n++;
                        }
                    }
                }

                Assert.Equal(sum / n, avg[(J * 4) + I], 4);
            }
        }

        var mode = Render(new Extent(0, 0, 8, 8), 2, Metric(0, 8, 1, 8, 8), null, ResamplingMethod.Mode, (r, c) => r < 4 && c < 4 ? (r == 0 ? 7f : 3f) : (r + c) % 2);
        Assert.Equal(3f, mode[0]);   // 12 × 3 vs 4 × 7
        Assert.Equal(0f, mode[1]);   // 8 × 0 vs 8 × 1: ties keep the smaller value
        var allNan = Render(new Extent(0, 0, 8, 8), 2, Metric(0, 8, 1, 8, 8), null, ResamplingMethod.Average, (r, c) => r < 4 && c < 4 ? float.NaN : 1f);
        Assert.True(float.IsNaN(allNan[0]));
        Assert.Equal(1f, allNan[3]);
    }

    [Fact]
    public void Pixels_outside_the_grid_are_NaN_and_a_tile_outside_reads_nothing()
    {
        var grid = Metric(0, 10, 1, 10, 10);
        var half = Render(new Extent(5, 0, 15, 10), 10, grid, null, ResamplingMethod.Nearest, Ramp);
        for (int j = 0; j < 10; j++)
        {
            for (int i = 0; i < 10; i++)
            {
                float v = half[(j * 10) + i];
                if (i < 5)
                {
                    Assert.Equal(Ramp(j, 5 + i), v);
                }
                else
                {
                    Assert.True(float.IsNaN(v));
                }
            }
        }

        using var plan = WarpPlanner.Plan(new Extent(20, 0, 30, 10), 10, 10, grid, null, ResamplingMethod.Bilinear, Defaults);
        Assert.False(plan.AnyInside);
        Assert.Empty(plan.Pieces);
    }

    [Fact]
    public void Longitude_wrap_of_a_0_to_360_grid_renders_both_sides()
    {
        // OISST layout: centres 0..358, ascending latitude, GeoTransform "-1.0 2.0 0.0 -90.0 0.0 2.0".
        var wgs = Crs.FromCode("EPSG:4326");
        var grid = new GridGeometry(wgs, AffineTransform.FromGdal([-1.0, 2.0, 0.0, -90.0, 0.0, 2.0]), 180, 90);
        Assert.True(grid.WrapsLongitude);

        foreach (var tile in new[] { new Extent(-180, -90, 0, 90), new Extent(0, -90, 180, 90), new Extent(-10, -10, 10, 10), new Extent(-180, -90, 180, 90), new Extent(170, 0, 190, 20) })
        {
            int w = 256, h = 128; // finer than the source: no strided read, so nearest is the containing cell
            var outp = Render(tile, w, h, grid, null, ResamplingMethod.Nearest, Ramp);
            for (int j = 0; j < h; j++)
            {
                double lat = tile.MaxY - ((j + 0.5) * tile.Height / h);
                for (int i = 0; i < w; i++)
                {
                    double lon = tile.MinX + ((i + 0.5) * tile.Width / w);
                    long col = (long)Math.Floor((((lon + 1) % 360) + 360) % 360 / 2);
                    long row = (long)Math.Floor((lat + 90) / 2);
                    Assert.True(Ramp(row, col) == outp[(j * w) + i], $"tile {tile} pixel ({i},{j}) lon {lon} lat {lat}: expected {Ramp(row, col)} got {outp[(j * w) + i]}");
                }
            }
        }

        using var seam = WarpPlanner.Plan(new Extent(-10, -10, 10, 10), 64, 64, grid, null, ResamplingMethod.Bilinear, Defaults);
        Assert.Equal(2, seam.Pieces.Count);
        Assert.True(seam.BufferCols < 20, "only the columns around the seam are read");

        // Bilinear across the seam interpolates between column 179 (358°) and column 0 (0°).
        var bil = Render(new Extent(-1.5, 0, -0.5, 2), 1, 1, grid, null, ResamplingMethod.Bilinear, (r, c) => c == 0 ? 10f : c == 179 ? 20f : float.NaN);
        Assert.Equal(15f, bil[0], 4);
    }

    [Fact]
    public void WebMercator_tiles_over_a_0_to_360_grid_through_the_real_transform()
    {
        var wgs = Crs.FromCode("EPSG:4326");
        var grid = new GridGeometry(wgs, AffineTransform.FromGdal([-1.0, 2.0, 0.0, -90.0, 0.0, 2.0]), 180, 90);
        var t = Crs.CreateTransform(Crs.FromCode("EPSG:3857"), wgs);
        double half = 20037508.342789244;
        foreach (var tile in new[] { new Extent(-half, 0, 0, half), new Extent(0, 0, half, half), new Extent(-half, -half, half, half) })
        {
            var outp = Render(tile, 256, grid, t, ResamplingMethod.Nearest, Ramp);
            int checkedPixels = 0;
            for (int j = 0; j < 256; j += 5)
            {
                double y = tile.MaxY - ((j + 0.5) * tile.Height / 256);
                double lat = ((2 * Math.Atan(Math.Exp(y / 6378137.0))) - (Math.PI / 2)) * 180 / Math.PI;
                for (int i = 0; i < 256; i += 3)
                {
                    double lon = (tile.MinX + ((i + 0.5) * tile.Width / 256)) / 6378137.0 * 180 / Math.PI;
                    double u = ((((lon + 1) % 360) + 360) % 360) / 2, v = (lat + 90) / 2;
                    if (Math.Abs(u - Math.Round(u)) < 0.05 || Math.Abs(v - Math.Round(v)) < 0.05)
                    {
                        continue; // too close to a cell edge for an exact comparison
                    }

                    Assert.True(Ramp((long)Math.Floor(v), (long)Math.Floor(u)) == outp[(j * 256) + i], $"tile {tile} pixel ({i},{j}) lon {lon} lat {lat}: expected {Ramp((long)Math.Floor(v), (long)Math.Floor(u))} got {outp[(j * 256) + i]}");
                    checkedPixels++;
                }
            }

            Assert.True(checkedPixels > 3000);
        }
    }

    [Fact]
    public void Approximate_transform_stays_within_the_error_bound()
    {
        var wgs = Crs.FromCode("EPSG:4326");
        var grid = new GridGeometry(wgs, AffineTransform.FromGdal([-180.0, 0.1, 0.0, 90.0, 0.0, -0.1]), 3600, 1800);
        var t = Crs.CreateTransform(Crs.FromCode("EPSG:3857"), wgs);
        double half = 20037508.342789244, size = 2 * half / 8;
        var tile = new Extent(-half + (3 * size), half - (2 * size), -half + (4 * size), half - size); // 3/3/1, 41°–66°N
        var cols = new double[256 * 256];
        var rows = new double[256 * 256];
        WarpPlanner.ComputeSourceCoordinates(tile, 256, 256, grid, t, 0.125, cols, rows);
        double maxErr = 0;
        double px = tile.Width / 256;
        for (int j = 0; j < 256; j++)
        {
            var xs = new double[256];
            var ys = new double[256];
            for (int i = 0; i < 256; i++)
            {
                xs[i] = tile.MinX + ((i + 0.5) * px);
                ys[i] = tile.MaxY - ((j + 0.5) * px);
            }

            t.Transform(xs, ys);
            for (int i = 0; i < 256; i++)
            {
                var (c, r) = grid.Transform.Invert(xs[i], ys[i]);
                maxErr = Math.Max(maxErr, Math.Max(Math.Abs(c - cols[(j * 256) + i]), Math.Abs(r - rows[(j * 256) + i])));
            }
        }

        Assert.True(maxErr <= 0.25, $"max error {maxErr} px");
    }

    [Fact]
    public void Much_finer_source_is_read_strided_and_the_cost_guard_raises_the_step()
    {
        var grid = Metric(0, 4096, 1, 4096, 4096);
        var tile = new Extent(0, 0, 4096, 4096);

        // Nearest reads every pixel while the guard allows: the value is the pixel containing the centre (16·i + 8).
        using (var plan = WarpPlanner.Plan(tile, 256, 256, grid, null, ResamplingMethod.Nearest, Defaults with { MaxSourcePixels = 20_000_000 }))
        {
            Assert.Equal(1, plan.Step);
            Assert.Equal(16, plan.Ratio, 9);
            var dst = new float[256 * 256];
            Resampler.Resample(Buffer(plan, grid, Ramp), plan, ResamplingMethod.Nearest, dst);
            for (int j = 0; j < 256; j += 17)
            {
                for (int i = 0; i < 256; i += 13)
                {
                    Assert.Equal(Ramp((16 * j) + 8, (16 * i) + 8), dst[(j * 256) + i]);
                }
            }
        }

        // Bilinear keeps two samples per output pixel (strided read, step = floor(ratio / 2)).
        using (var plan = WarpPlanner.Plan(tile, 256, 256, grid, null, ResamplingMethod.Bilinear, Defaults))
        {
            Assert.Equal(8, plan.Step);
            Assert.True(plan.BufferPixelCount <= 520 * 520, $"{plan.BufferPixelCount}");
            var dst = new float[256 * 256];
            Resampler.Resample(Buffer(plan, grid, (r, c) => (2f * c) + (3f * r)), plan, ResamplingMethod.Bilinear, dst);
            // A linear field survives the widened (normalised, symmetric) kernel away from the edges.
            for (int j = 4; j < 252; j += 17)
            {
                for (int i = 4; i < 252; i += 13)
                {
                    Assert.Equal((2.0 * ((16 * i) + 7.5)) + (3.0 * ((16 * j) + 7.5)), dst[(j * 256) + i], 0);
                }
            }
        }

        // The guard raises the step rather than failing: default 4 M samples, and a tight 100 k.
        foreach (var (method, max) in new[] { (ResamplingMethod.Nearest, 4_000_000L), (ResamplingMethod.Average, 100_000L) })
        {
            using var plan = WarpPlanner.Plan(tile, 256, 256, grid, null, method, Defaults with { MaxSourcePixels = max });
            Assert.True(plan.Step > 1);
            Assert.True(plan.BufferPixelCount <= max, $"{method}: {plan.BufferPixelCount}");
            var dst = new float[256 * 256];
            Resampler.Resample(Buffer(plan, grid, (_, _) => 7f), plan, method, dst);
            Assert.All(dst, v => Assert.Equal(7f, v));
        }
    }

    [Theory]
    [InlineData(0, 0, 256)]
    [InlineData(2, 1, 256)]
    [InlineData(5, 17, 512)]
    public void Nearest_index_map_gives_the_same_pixels_as_nearest_resampling(int z, int x, int size)
    {
        // Geographic 0.25° grid warped into WebMercatorQuad tiles (separable path), near the antimeridian too.
        var grid = new GridGeometry(Crs.FromCode("EPSG:4326"), new AffineTransform(0.25, 0, -180, 0, -0.25, 90), 1440, 720);
        double span = 40075016.68557849 / (1 << z), half = 20037508.342789244;
        var tile = new Extent(-half + (x * span), half - ((x + 1) * span), -half + ((x + 1) * span), half - (x * span));
        using var plan = WarpPlanner.Plan(tile, size, size, grid, Crs.CreateTransform(Crs.FromCode("EPSG:3857"), grid.Crs), ResamplingMethod.Nearest, Defaults);
        var buf = Buffer(plan, grid, Ramp);
        var expected = new float[size * size];
        Resampler.Resample(buf, plan, ResamplingMethod.Nearest, expected);
        var indices = new int[size * size];
        Resampler.NearestIndices(plan, indices);
        var actual = new float[size * size];
        Resampler.Gather(buf, indices, actual);
        Assert.Equal(expected, actual);

        // The per-axis form (what the tile reader uses on separable plans) gives the same pixels again.
        Assert.True(plan.IsSeparable);
        var colIndex = new int[size];
        var rowOffset = new int[size];
        Resampler.NearestAxes(plan, colIndex, rowOffset);
        var byAxes = new float[size * size];
        Resampler.GatherAxes(buf, colIndex, rowOffset, byAxes);
        Assert.Equal(expected, byAxes);

        // Rows flagged as repeats are equal to the row above (magnified tiles have many).
        var repeated = Resampler.RepeatedRows(rowOffset);
        for (int j = 1; j < size; j++)
        {
            if (repeated[j])
            {
                Assert.Equal(expected.AsSpan((j - 1) * size, size).ToArray(), expected.AsSpan(j * size, size).ToArray());
            }
        }

        Assert.Equal(z >= 5, repeated.Count(r => r) > size / 2);
    }

    [Theory]
    [InlineData(ResamplingMethod.Bilinear, 1, 0, 256)] // 4 source pixels per output pixel: widened kernel
    [InlineData(ResamplingMethod.Cubic, 1, 0, 256)]
    [InlineData(ResamplingMethod.Bilinear, 4, 5, 256)] // magnified: plain kernels
    [InlineData(ResamplingMethod.Cubic, 4, 5, 256)]
    [InlineData(ResamplingMethod.Bilinear, 2, 1, 100)]
    [InlineData(ResamplingMethod.Cubic, 3, 2, 100)]
    public void Per_axis_kernels_give_exactly_the_per_pixel_values(ResamplingMethod method, int z, int x, int size)
    {
        // Geographic grid with scattered nodata, warped into WebMercatorQuad tiles (a separable plan).
        var grid = new GridGeometry(Crs.FromCode("EPSG:4326"), new AffineTransform(360.0 / 2048, 0, -180, 0, -180.0 / 1024, 90), 2048, 1024);
        double span = 40075016.68557849 / (1 << z), half = 20037508.342789244;
        var tile = new Extent(-half + (x * span), half - ((x + 1) * span), -half + ((x + 1) * span), half - (x * span));
        using var plan = WarpPlanner.Plan(tile, size, size, grid, Crs.CreateTransform(Crs.FromCode("EPSG:3857"), grid.Crs), method, Defaults);
        Assert.True(plan.IsSeparable);
        var buf = Buffer(plan, grid, (r, c) => ((r * 7) + (c * 3)) % 23 == 0 ? float.NaN : MathF.Sin(c * 0.05f) * 100 + r);
        var perPixel = new float[size * size];
        var perAxis = new float[size * size];
        Resampler.Resample(buf, plan, method, perPixel, perAxis: false);
        Resampler.Resample(buf, plan, method, perAxis, perAxis: true);
        Assert.Equal(perPixel, perAxis);
        Assert.Contains(perAxis, float.IsNaN);
        Assert.True(perAxis.Count(v => !float.IsNaN(v)) > size * size / 2);
    }

    [Fact]
    public void Separable_plan_matches_the_exact_per_pixel_mapping()
    {
        // Tile 2/1/1 of WebMercatorQuad over a 0.25° grid that covers only part of it: outside pixels are NaN on
        // both coordinates, inside pixels equal the exact transform of their centre.
        var wgs = Crs.FromCode("EPSG:4326");
        var grid = new GridGeometry(wgs, new AffineTransform(0.25, 0, -100, 0, -0.25, 50), 400, 200);
        var t = Crs.CreateTransform(Crs.FromCode("EPSG:3857"), wgs);
        double half = 20037508.342789244, span = half / 2;
        var tile = new Extent(-half + span, 0, 0, span); // 2/1/1: 90°W–0°, 0°–66.5°N
        using var plan = WarpPlanner.Plan(tile, 64, 64, grid, t, ResamplingMethod.Nearest, Defaults);
        Assert.True(plan.IsSeparable);
        var cols = plan.SourceCols;
        var rows = plan.SourceRows;
        int inside = 0, outside = 0;
        double px = tile.Width / 64;
        for (int j = 0; j < 64; j++)
        {
            for (int i = 0; i < 64; i++)
            {
                double[] xs = [tile.MinX + ((i + 0.5) * px)], ys = [tile.MaxY - ((j + 0.5) * px)];
                t.Transform(xs, ys);
                var (c, r) = grid.Transform.Invert(xs[0], ys[0]);
                int k = (j * 64) + i;
                if (c >= 0 && c < 400 && r >= 0 && r < 200)
                {
                    inside++;
                    Assert.Equal(c, cols[k], 6);
                    Assert.Equal(r, rows[k], 6);
                }
                else
                {
                    outside++;
                    Assert.True(double.IsNaN(cols[k]) && double.IsNaN(rows[k]), $"pixel {i},{j} outside the grid has coordinates");
                }
            }
        }

        Assert.True(inside > 500 && outside > 500, $"{inside} inside, {outside} outside");
    }

    [Fact]
    public void Rotated_grid_takes_the_per_pixel_plan()
    {
        var grid = new GridGeometry(Crs.FromCode("EPSG:3857"), new AffineTransform(10, 2, 0, 2, -10, 1000), 100, 100);
        using var plan = WarpPlanner.Plan(new Extent(0, 0, 1000, 1000), 32, 32, grid, null, ResamplingMethod.Nearest, Defaults);
        Assert.False(plan.IsSeparable);
        Assert.Throws<InvalidOperationException>(() => plan.AxisCols.Length);
    }
}
