using System.Globalization;
using TileServer.Crs;
using TileServer.Storage;
using TileServer.Zarr;
using Xunit;

namespace TileServer.GeoZarr.Tests.Datasets;

/// <summary>
/// How the grid kind is read from the stores of tests/data/grids (written by xarray/zarr-python), and what an
/// unusable grid is told: a <see cref="GeoDatasetException"/> naming the array and the setting.
/// </summary>
public sealed class GridKindReadingTests
{
    private static readonly CrsRegistry Crs = new();

    private static string Grids(params string[] parts) => TestPaths.Repo(["tests", "data", "grids", .. parts]);

    private static async Task<GeoDataset> OpenAsync(string path, GeoDatasetOptions? options = null)
    {
        var zarr = await ZarrHierarchy.OpenAsync(new FileStore(path), new ZarrReaderOptions());
        return await new GeoDatasetReader(Crs).OpenAsync(zarr, options ?? new GeoDatasetOptions { Id = Path.GetFileName(path) });
    }

    [Fact]
    public async Task Two_dimensional_latitude_longitude_beside_rotated_coordinates_leave_the_grid_regular_on_the_rotated_pole()
    {
        var ds = await OpenAsync(Grids("rotated-pole", "rotated-pole.zarr"));
        var grid = ds.FindVariable("tas")!.Grid;
        Assert.Equal(GridKind.Regular, grid.Kind);
        Assert.False(grid.Crs.IsGeographic);
        // rlon = -28.375 + 0.44 i, rlat = -23.375 + 0.44 j (rows stored south first): edges half a step outside.
        var gt = grid.Transform.ToGdal();
        Assert.Equal(-28.375 - 0.22, gt[0], 9);
        Assert.Equal(0.44, gt[1], 9);
        Assert.Equal(-23.375 - 0.22, gt[3], 9);
        Assert.Equal(0.44, gt[5], 9);
        Assert.Equal(["tas"], ds.Finest.Variables.Keys);
        Assert.Contains(ds.Notes, n => n.Contains("'rotated_pole'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Gaussian_latitudes_make_an_irregular_axis_and_even_longitudes_stay_affine()
    {
        var ds = await OpenAsync(Grids("gaussian", "gaussian.zarr"));
        var grid = ds.FindVariable("t2m")!.Grid;
        Assert.Equal(GridKind.Irregular, grid.Kind);
        Assert.Null(grid.XAxis);
        Assert.NotNull(grid.YAxis);
        Assert.True(grid.YAxis!.Descending);
        Assert.True(grid.WrapsLongitude);
    }

    [Fact]
    public async Task A_curvilinear_grid_beyond_the_index_budget_is_refused_naming_its_coordinates_and_the_setting()
    {
        var ex = await Assert.ThrowsAsync<GeoDatasetException>(() => OpenAsync(Grids("curvilinear", "curvilinear.zarr"),
            new GeoDatasetOptions { Id = "curvilinear", MaxGridIndexBytes = 200_000 }));
        Assert.Contains("'lon'/'lat'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxGridIndexBytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_levels_of_a_curvilinear_pyramid_keep_their_own_coordinates()
    {
        var ds = await OpenAsync(Grids("curvilinear", "curvilinear.zarr"));
        Assert.Equal(2, ds.Levels.Count);
        Assert.All(ds.Levels, l => Assert.Equal(GridKind.Curvilinear, l.Grid.Kind));
        Assert.Equal((160, 120), (ds.Levels[0].Grid.Width, ds.Levels[0].Grid.Height));
        Assert.Equal((80, 60), (ds.Levels[1].Grid.Width, ds.Levels[1].Grid.Height));
        Assert.True(ds.Levels[1].Grid.ResolutionX > 1.5 * ds.Levels[0].Grid.ResolutionX);
    }

    [Fact]
    public async Task A_coordinate_that_turns_back_is_refused_naming_it()
    {
        string dir = Path.Combine(Path.GetTempPath(), "grids-" + Guid.NewGuid().ToString("N"));
        try
        {
            CopyDirectory(Grids("stretched", "stretched.zarr"), dir);
            File.Delete(Path.Combine(dir, ".zmetadata"));
            string zarray = Path.Combine(dir, "lat", ".zarray");
            string text = File.ReadAllText(zarray);
            int start = text.IndexOf("\"compressor\"", StringComparison.Ordinal), end = text.IndexOf("\"dtype\"", StringComparison.Ordinal);
            File.WriteAllText(zarray, text[..start] + "\"compressor\": null,\n    " + text[end..]);
            var lat = new byte[80 * 8];
            for (int j = 0; j < 80; j++)
            {
                BitConverter.TryWriteBytes(lat.AsSpan(j * 8), j == 40 ? 30.5 + (0.5 * 38) : 30.5 + (0.5 * j));
            }

            File.WriteAllBytes(Path.Combine(dir, "lat", "0"), lat);
            var ex = await Assert.ThrowsAsync<GeoDatasetException>(() => OpenAsync(dir, new GeoDatasetOptions { Id = "turns-back", Variables = ["sst"] }));
            Assert.Contains("'lat'", ex.Message, StringComparison.Ordinal);
            Assert.Contains("not monotonic", ex.Message, StringComparison.Ordinal);
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"value 40 is {30.5 + (0.5 * 38)}"), ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var d in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, d)));
        }

        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(f, Path.Combine(to, Path.GetRelativePath(from, f)));
        }
    }
}
