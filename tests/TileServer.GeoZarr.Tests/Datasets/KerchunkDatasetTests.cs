using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using TileServer.Crs;
using TileServer.Storage;
using TileServer.Zarr;
using Xunit;

namespace TileServer.GeoZarr.Tests.Datasets;

/// <summary>
/// A NetCDF4 file served through a kerchunk reference file (byte ranges into the .nc) opens as a dataset whose decoded
/// values equal what xarray reads from the same file (tests/data/kerchunk, made by make_refs.py).
/// </summary>
public sealed partial class KerchunkDatasetTests
{
    private static string Folder => Path.Combine(TestPaths.RepoRoot, "tests", "data", "kerchunk");

    [Theory]
    [InlineData("refs_v1.json", "temperature")]
    [InlineData("refs_v1.json", "precip")]
    [InlineData("refs_v0.json", "temperature")]
    [InlineData("refs_v0.json", "precip")]
    public async Task Decoded_values_match_xarray(string refs, string variable)
    {
        using var factory = new ByteStoreFactory(new StoreOptions());
        var store = factory.Open("reference://" + Path.Combine(Folder, refs));
        var zarr = await ZarrHierarchy.OpenAsync(store, new ZarrReaderOptions());
        var ds = await new GeoDatasetReader(new CrsRegistry()).OpenAsync(zarr, new GeoDatasetOptions { Id = "k", Variables = ["temperature", "precip"] });
        var v = ds.FindVariable(variable)!;
        Assert.Equal("EPSG:4326", v.Grid.Crs.Code);
        Assert.Contains(ds.Notes, n => n.Contains("assumed EPSG:4326", StringComparison.Ordinal));

        var expected = ReadFloat32(Path.Combine(Folder, $"expected_{variable}_decoded.npy"));
        int plane = v.Grid.Width * v.Grid.Height;
        var actual = new float[plane];
        for (int t = 0; t < 2; t++)
        {
            await v.ReadPlaneAsync([t], new PixelWindow(0, 0, v.Grid.Height, v.Grid.Width), actual);
            for (int i = 0; i < plane; i++)
            {
                float e = expected[(t * plane) + i];
                if (float.IsNaN(e))
                {
                    Assert.True(float.IsNaN(actual[i]), $"t={t} i={i}: expected nodata, got {actual[i]}");
                }
                else
                {
                    Assert.Equal(e, actual[i], 1e-5f * Math.Max(1, Math.Abs(e)));
                }
            }
        }
    }

    private static float[] ReadFloat32(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int headerLength = BitConverter.ToUInt16(bytes, 8);
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Matches(DescrPattern(), header);
        return MemoryMarshal.Cast<byte, float>(bytes.AsSpan(10 + headerLength)).ToArray();
    }

    [GeneratedRegex("'descr': '<f4'")]
    private static partial Regex DescrPattern();
}
