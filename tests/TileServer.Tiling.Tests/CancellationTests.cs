using TileServer.Crs;

namespace TileServer.Tiling.Tests;

/// <summary>An abandoned request stops the warp: planning and every resampling path see the token.</summary>
public class CancellationTests
{
    private static readonly WarpOptions Options = new() { ApproxErrorPixels = 0.02, MaxSourcePixels = 4_000_000 };

    private static GridGeometry Grid() => new(TestCrs.WebMercator, new AffineTransform(1000, 0, 0, 0, -1000, 512_000), 512, 512);

    [Fact]
    public void Planning_stops_when_the_request_is_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => WarpPlanner.Plan(new Extent(0, 0, 512_000, 512_000), 256, 256, Grid(), null, ResamplingMethod.Bilinear, Options, cancelled.Token));
    }

    [Theory]
    [InlineData(ResamplingMethod.Nearest, true)]
    [InlineData(ResamplingMethod.Bilinear, true)]
    [InlineData(ResamplingMethod.Cubic, true)]
    [InlineData(ResamplingMethod.Bilinear, false)]
    [InlineData(ResamplingMethod.Average, false)]
    public void Resampling_stops_when_the_request_is_cancelled(ResamplingMethod method, bool perAxis)
    {
        using var plan = WarpPlanner.Plan(new Extent(0, 0, 512_000, 512_000), 256, 256, Grid(), null, method, Options);
        var buffer = new float[plan.BufferPixelCount];
        Array.Fill(buffer, 1f);
        var destination = new float[256 * 256];
        using var cancelled = new CancellationTokenSource();

        // The same call with a live token fills the tile, so the cancelled one fails only for the token.
        Resampler.Resample(buffer, plan, method, destination, perAxis, CancellationToken.None);
        Assert.Equal(1f, destination[(128 * 256) + 128]);

        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Resampler.Resample(buffer, plan, method, destination, perAxis, cancelled.Token));
    }
}
