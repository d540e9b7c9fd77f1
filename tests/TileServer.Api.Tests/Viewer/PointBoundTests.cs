using System.Net;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests.Viewer;

/// <summary>A server with one cube of 10001 time steps (written by xarray, see data/make_long_series.py).</summary>
public sealed class LongSeriesServerFixture : ServerFixture
{
    protected override IEnumerable<string> Settings()
    {
        yield return $"--TileServer:Datasets:long:Path={Path.Combine(Paths.RepoRoot, "tests", "TileServer.Api.Tests", "Viewer", "data", "long-series.zarr")}";
    }
}

/// <summary>The point query's entry bound: more than 10 000 values is a 400 that says how to narrow it.</summary>
public sealed class PointBoundTests : IClassFixture<LongSeriesServerFixture>
{
    private readonly LongSeriesServerFixture _server;

    public PointBoundTests(LongSeriesServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task More_than_ten_thousand_entries_is_400_and_sel_narrows_it()
    {
        var problem = await HttpAssert.ProblemAsync(await _server.Client.GetAsync("/datasets/long/point?lon=20.7&lat=10.2"), HttpStatusCode.BadRequest);
        Assert.Contains("10000", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Contains("time (10001)", (string?)problem["detail"], StringComparison.Ordinal);

        // Value = time index (the file's formula); 2001-02-20T16:00 is hour 10000 after 2000-01-01.
        var json = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/datasets/long/point?lon=20.7&lat=10.2&sel=time=2001-02-20T16:00:00Z"));
        var values = json["values"]!.AsArray();
        Assert.Single(values);
        Assert.Equal("2001-02-20T16:00:00Z", (string?)values[0]!["dims"]!["time"]);
        Assert.Equal(10000, (double)values[0]!["value"]!);
    }
}
