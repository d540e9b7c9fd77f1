namespace TileServer.Rendering.Tests;

/// <summary>An abandoned request stops the encoder: every format path sees the token.</summary>
public class CancellationTests
{
    private readonly TileRenderer _renderer = new();

    [Theory]
    [InlineData(1, ImageFormat.Png)]
    [InlineData(3, ImageFormat.Png)]
    [InlineData(1, ImageFormat.Webp)]
    [InlineData(3, ImageFormat.Jpeg)]
    [InlineData(3, ImageFormat.Npy)]
    public void Rendering_stops_when_the_request_is_cancelled(int bands, ImageFormat format)
    {
        const int size = 512;
        var values = new float[bands * size * size];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i % 251;
        }

        var options = new RenderOptions { Format = format, Rescale = [new ValueRange(0, 250)] };
        Assert.NotEmpty(_renderer.Render(values, bands, size, size, options).Bytes);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => _renderer.Render(values, bands, size, size, options, default, cancelled.Token));
    }
}
