using System.Text.Json.Nodes;
using TileServer.Storage;
using Xunit;

namespace TileServer.Zarr.Tests;

/// <summary>The built-in demo stores (real-world samples) against their point samples (computed with xarray/numpy, tests/data/real).</summary>
public sealed class DemoDataTests
{
    [Fact]
    public async Task BlueMarblePyramid_zstd_matches_points_at_every_level()
    {
        string store = TestPaths.Demo("blue-marble-webmercatorquad.zarr");
        var h = await ZarrHierarchy.OpenAsync(new FileStore(store), new ZarrReaderOptions());
        Assert.Equal(2, h.ZarrFormat);
        Assert.True(h.IsConsolidated);
        Assert.Contains(("0", false), h.ListChildren(""));
        var points = JsonNode.Parse(File.ReadAllText(TestPaths.RealData("blue-marble/ref/points.json")))!["points"]!.AsArray();
        int checkedValues = 0;
        foreach (var level in new[] { "0", "1", "2", "3" })
        {
            var rgb = await h.GetArrayAsync(level + "/rgb");
            Assert.NotNull(rgb);
            Assert.Equal(ZarrDataType.UInt8, rgb!.Metadata.DataType);
            Assert.Equal(["band", "y", "x"], rgb.Metadata.DimensionNames);
            Assert.StartsWith("zstd", rgb.Metadata.CodecSummary, StringComparison.Ordinal);
            foreach (var p in points)
            {
                if (p!["pyramid"]?[level] is not { } at)
                {
                    continue; // points outside the Web Mercator latitude range have no pyramid cell
                }

                long row = at["row"]!.GetValue<long>(), col = at["col"]!.GetValue<long>();
                var values = new byte[3];
                await rgb.ReadAsync<byte>([DimSlice.All(3), DimSlice.Single(row), DimSlice.Single(col)], values);
                var expected = at["rgb"]!.AsArray().Select(v => (byte)v!.GetValue<int>()).ToArray();
                Assert.Equal(expected, values);
                checkedValues++;
            }
        }

        Assert.True(checkedValues > 4);
    }

    [Fact]
    public async Task Oisst_blosc_lz4_shuffle_matches_stored_points()
    {
        string store = TestPaths.Demo("oisst.zarr");
        var h = await ZarrHierarchy.OpenAsync(new FileStore(store), new ZarrReaderOptions());
        var points = JsonNode.Parse(File.ReadAllText(TestPaths.RealData("sst/ref/points.json")))!["points"]!.AsArray();
        int n = 0;
        foreach (var p in points)
        {
            long row = p!["row_index_lat"]!.GetValue<long>(), col = p["col_index_lon"]!.GetValue<long>();
            foreach (var v in p["values"]!.AsArray())
            {
                var array = await h.GetArrayAsync(v!["variable"]!.GetValue<string>());
                Assert.NotNull(array);
                Assert.Equal(-999, array!.Metadata.FillValue);
                var isel = v["isel"]!;
                var asFloat = new float[1];
                var asShort = new short[1];
                DimSlice[] window = [DimSlice.Single(isel["time"]!.GetValue<long>()), DimSlice.Single(isel["zlev"]!.GetValue<long>()), DimSlice.Single(row), DimSlice.Single(col)];
                await array.ReadAsync<float>(window, asFloat);
                await array.ReadAsync<short>(window, asShort);
                Assert.Equal(v["stored"]!.GetValue<double>(), asFloat[0]);
                Assert.Equal(v["stored"]!.GetValue<short>(), asShort[0]);
                n++;
            }
        }

        Assert.True(n > 4);
    }

    [Fact]
    public async Task Oisst_time_coordinate_and_0d_spatial_ref_read()
    {
        string store = TestPaths.Demo("oisst.zarr");
        var h = await ZarrHierarchy.OpenAsync(new FileStore(store), new ZarrReaderOptions());

        // points.json dates the only time step 1981-12-31; units are "days since 1978-01-01" -> 365+365+366+364 days.
        var time = await h.GetArrayAsync("time");
        Assert.Equal("days since 1978-01-01", time!.Metadata.Attributes["units"]!.GetValue<string>());
        Assert.Null(time.Metadata.Attributes["_ARRAY_DIMENSIONS"]);
        var days = new double[1];
        await time.ReadAsync<double>([DimSlice.Single(0)], days);
        Assert.Equal(1460, days[0]);

        // rioxarray's grid-mapping variable: a 0-d int64 array holding 0.
        var spatialRef = await h.GetArrayAsync("spatial_ref");
        Assert.Empty(spatialRef!.Metadata.Shape);
        var value = new long[] { -1 };
        await spatialRef.ReadAsync<long>([], value);
        Assert.Equal(0, value[0]);
        Assert.Contains("WGS 84", spatialRef.Metadata.Attributes["crs_wkt"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
