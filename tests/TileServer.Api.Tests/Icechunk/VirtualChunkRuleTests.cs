using System.Net;
using Microsoft.Extensions.Options;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests.Icechunk;

/// <summary>The fixture's virtual branch with no virtual chunk container configured.</summary>
public sealed class NoContainerServerFixture : ServerFixture
{
    protected override IEnumerable<string> Settings()
    {
        yield return $"--TileServer:Datasets:ice-virtual:Path={IcechunkServerFixture.Repository}";
        yield return "--TileServer:Datasets:ice-virtual:Ref=branch:virtual";
        yield return $"--TileServer:Datasets:ice-main:Path={IcechunkServerFixture.Repository}";
    }
}

/// <summary>
/// Virtual references are read only through configured containers: without one, the virtual branch's chunks are
/// refused with a problem+json naming the URL, and a bad container list stops the server at startup with every error.
/// </summary>
public sealed class VirtualChunkRuleTests : IClassFixture<NoContainerServerFixture>
{
    private readonly NoContainerServerFixture _server;

    public VirtualChunkRuleTests(NoContainerServerFixture server)
    {
        _server = server;
    }

    [Theory]
    [InlineData("/tiles/ice-virtual/WorldCRS84Quad/0/0/0.npy")]
    [InlineData("/tiles/ice-virtual/WorldCRS84Quad/0/0/0.png")]
    [InlineData("/datasets/ice-virtual/point?lon=10&lat=10&variable=tas")]
    public async Task A_virtual_reference_outside_every_container_is_refused_naming_its_url(string url)
    {
        var problem = await HttpAssert.ProblemAsync(await _server.Client.GetAsync(url), HttpStatusCode.BadGateway);
        string detail = (string?)problem["detail"] ?? "";
        Assert.Contains("s3://geozarr-fixtures/global-4326.zarr/tas/c/", detail, StringComparison.Ordinal);
        Assert.Contains("TileServer:VirtualChunks:Containers", detail, StringComparison.Ordinal);

        // The repository's native chunks are still served.
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync("/tiles/ice-main/WorldCRS84Quad/0/0/0.npy")).StatusCode);
    }

    [Fact]
    public async Task Bad_container_settings_stop_the_server_with_every_error()
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            "--Serilog:MinimumLevel:Default=Fatal",
            "--TileServer:VirtualChunks:Containers:0:Prefix=s3://no-slash",
            "--TileServer:VirtualChunks:Containers:0:Location=/data",
            "--TileServer:VirtualChunks:Containers:1:Prefix=s3://b/",
            "--TileServer:VirtualChunks:Containers:1:Location=ftp://host/x",
            "--TileServer:Datasets:x:Path=/data/x.icechunk",
            "--TileServer:Datasets:x:Store=git",
            "--TileServer:Datasets:y:Path=/data/y.zarr",
            "--TileServer:Datasets:y:Store=zarr",
            "--TileServer:Datasets:y:Ref=tag:v1",
            "--TileServer:Datasets:z:Path=/data/z.icechunk",
            "--TileServer:Datasets:z:Ref=trunk",
        ];
        WebApplication? app = null;
        try
        {
            var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
            {
                app = TileServerApp.Build(args);
                await app.StartAsync();
            });
            string all = string.Join("\n", error.Failures);
            Assert.Contains("TileServer:VirtualChunks:Containers:0:Prefix 's3://no-slash'", all, StringComparison.Ordinal);
            Assert.Contains("TileServer:VirtualChunks:Containers:1:Location 'ftp://host/x'", all, StringComparison.Ordinal);
            Assert.Contains("TileServer:Datasets:x:Store: 'git'", all, StringComparison.Ordinal);
            Assert.Contains("TileServer:Datasets:y:Ref is set but Store is 'zarr'", all, StringComparison.Ordinal);
            Assert.Contains("TileServer:Datasets:z:Ref: Icechunk ref 'trunk'", all, StringComparison.Ordinal);
        }
        finally
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }
    }
}
