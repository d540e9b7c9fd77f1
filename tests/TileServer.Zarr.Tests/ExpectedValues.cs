using Xunit;

namespace TileServer.Zarr.Tests;

/// <summary>Reads a whole array and compares it cell by cell with an independent .npy (NaN-aware, exact).</summary>
internal static class ExpectedValues
{
    public static DimSlice[] Whole(IReadOnlyList<long> shape) => shape.Select(DimSlice.All).ToArray();

    public static async Task AssertArrayEqualsAsync(ZarrArray array, Npy expected, string name)
    {
        Assert.Equal(expected.Shape, array.Metadata.Shape);
        var window = Whole(array.Metadata.Shape);
        if (expected.Is64BitInteger)
        {
            var longs = new long[expected.Count];
            await array.ReadAsync<long>(window, longs);
            for (long i = 0; i < longs.Length; i++)
            {
                if (longs[i] != expected.GetInt64(i))
                {
                    Assert.Fail($"{name}: element {i} is {longs[i]}, expected {expected.GetInt64(i)}");
                }
            }

            return;
        }

        var values = new double[expected.Count];
        await array.ReadAsync<double>(window, values);
        for (long i = 0; i < values.Length; i++)
        {
            double e = expected.Get(i);
            if (!(values[i].Equals(e) || (double.IsNaN(e) && double.IsNaN(values[i]))))
            {
                Assert.Fail($"{name}: element {i} is {values[i]}, expected {e}");
            }
        }
    }
}
