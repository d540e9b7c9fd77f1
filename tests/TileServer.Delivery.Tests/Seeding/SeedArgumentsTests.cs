using TileServer.Crs;
using TileServer.Delivery.Seeding;

namespace TileServer.Delivery.Tests.Seeding;

public sealed class SeedArgumentsTests
{
    [Fact]
    public void A_full_command_line_becomes_the_request_and_the_configuration_arguments()
    {
        var parsed = SeedArguments.Parse(
            ["--dataset", "sst", "--tms", "WorldCRS84Quad", "--zooms", "1-3", "--bbox", "-10.5,-20,30,40.25", "--format", "webp",
             "--query", "?colormap_name=thermal&rescale=-2,32", "--concurrency", "3", "--out", "tiles", "--TileServer:Datasets:sst:Path=/data/sst.zarr"], out string error);

        Assert.True(parsed is not null, error);
        var r = parsed.Request;
        Assert.Equal(("sst", "WorldCRS84Quad", 1, 3, "webp", 3), (r.Dataset, r.TileMatrixSet, r.MinZoom, r.MaxZoom, r.Format, r.Concurrency));
        Assert.Equal(new Extent(-10.5, -20, 30, 40.25), r.Bbox);
        Assert.Equal("colormap_name=thermal&rescale=-2,32", r.Query);
        Assert.Equal(new SeedTarget.Folder("tiles"), r.Target);
        Assert.Equal(["--TileServer:Datasets:sst:Path=/data/sst.zarr"], parsed.Configuration);
    }

    [Fact]
    public void Defaults_are_webmercatorquad_png_the_dataset_bounds_and_one_worker_per_core()
    {
        var r = SeedArguments.Parse(["--dataset", "demo", "--zooms", "4", "--cache"], out string error)?.Request;

        Assert.True(r is not null, error);
        Assert.Equal(("WebMercatorQuad", 4, 4, "png", Environment.ProcessorCount, "", null), (r.TileMatrixSet, r.MinZoom, r.MaxZoom, r.Format, r.Concurrency, r.Query, r.Bbox));
        Assert.IsType<SeedTarget.Cache>(r.Target);
    }

    [Theory]
    [InlineData("no --dataset", "--zooms", "0-2", "--out", "d")]
    [InlineData("--zooms must be", "--dataset", "demo", "--zooms", "3-1", "--out", "d")]
    [InlineData("--zooms must be", "--dataset", "demo", "--zooms", "0-31", "--out", "d")]
    [InlineData("--zooms must be", "--dataset", "demo", "--zooms", "a-b", "--out", "d")]
    [InlineData("no target", "--dataset", "demo", "--zooms", "0-2")]
    [InlineData("give one target", "--dataset", "demo", "--zooms", "0-2", "--out", "d", "--cache")]
    [InlineData("--bbox must be", "--dataset", "demo", "--zooms", "0-2", "--out", "d", "--bbox", "10,0,5,5")]
    [InlineData("--bbox must be", "--dataset", "demo", "--zooms", "0-2", "--out", "d", "--bbox", "0,0,5")]
    [InlineData("--bbox must be", "--dataset", "demo", "--zooms", "0-2", "--out", "d", "--bbox", "0,-95,5,5")]
    [InlineData("--format must be", "--dataset", "demo", "--zooms", "0-2", "--out", "d", "--format", "npy")]
    [InlineData("--concurrency must be", "--dataset", "demo", "--zooms", "0-2", "--out", "d", "--concurrency", "0")]
    [InlineData("WebMercatorQuad tiles only", "--dataset", "demo", "--zooms", "0-2", "--pmtiles", "a.pmtiles", "--tms", "WorldCRS84Quad")]
    [InlineData("--out needs a value", "--dataset", "demo", "--zooms", "0-2", "--out")]
    [InlineData("given twice", "--dataset", "demo", "--dataset", "sst", "--zooms", "0-2", "--out", "d")]
    [InlineData("unexpected argument 'extra'", "--dataset", "demo", "--zooms", "0-2", "--out", "d", "extra")]
    public void A_malformed_command_line_is_refused_naming_the_problem(string message, params string[] args)
    {
        Assert.Null(SeedArguments.Parse(args, out string error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
