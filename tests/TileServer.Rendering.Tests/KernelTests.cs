using System.Text.Json;
using TileServer.Rendering.Pixels;

namespace TileServer.Rendering.Tests;

public class KernelTests
{
    [Theory]
    [InlineData(0, 10)]
    [InlineData(-3.5, 40)]
    [InlineData(5, 5)]
    [InlineData(10, 0)]
    public void Vector_quantize_equals_the_scalar_reference(double min, double max)
    {
        var random = new Random(7);
        var values = new float[4099];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (i % 37) switch
            {
                0 => float.NaN,
                1 => float.PositiveInfinity,
                2 => float.NegativeInfinity,
                3 => (float)min,
                4 => (float)max,
                _ => (float)((random.NextDouble() * 60) - 10),
            };
        }

        var scale = ByteScale.From(new ValueRange(min, max));
        var fast = new byte[values.Length];
        var reference = new byte[values.Length];
        var nanFast = Kernels.QuantizeBand(values, fast, scale, nanIndex: 7);
        var nanReference = Kernels.QuantizeScalar(values, reference, scale, nanIndex: 7);
        Assert.Equal(nanReference, nanFast);
        Assert.Equal(values.Count(float.IsNaN), nanFast);
        Assert.Equal(reference, fast);
    }

    [Fact]
    public void Rescale_matches_numpy_float32_rio_tiler_output_bit_for_bit()
    {
        // Data/rescale_numpy.json: written by NumPy (make_rescale_fixture.py), values at every 1/255 step boundary.
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "rescale_numpy.json")));
        var cases = doc.RootElement.GetProperty("cases");
        Assert.Equal(4, cases.GetArrayLength());
        foreach (var c in cases.EnumerateArray())
        {
            var min = c.GetProperty("min").GetDouble();
            var max = c.GetProperty("max").GetDouble();
            var values = c.GetProperty("values").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
            var expected = c.GetProperty("expected").EnumerateArray().Select(v => (byte)v.GetInt32()).ToArray();
            var actual = new byte[values.Length];
            Kernels.QuantizeBand(values, actual, ByteScale.From(new ValueRange(min, max)), 0);
            Assert.Equal(expected, actual);
            for (var i = 0; i < values.Length; i++) Assert.Equal(expected[i], TestTiles.Index(values[i], min, max));
        }
    }

    [Fact]
    public void Step_range_maps_min_to_zero_and_above_to_255()
    {
        var s = ByteScale.From(new ValueRange(5, 5));
        Assert.Equal(0, s.Apply(5));
        Assert.Equal(0, s.Apply(4));
        Assert.Equal(255, s.Apply(5.001f));
    }
}
