using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace TileServer.Api.Tests.Infrastructure;

/// <summary>
/// The real application on Kestrel, bound to 127.0.0.1 on a free port, with the built-in demo datasets plus the
/// sample datasets in tests/data that the tests compare against GDAL references.
/// </summary>
public class ServerFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public HttpClient Client { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";

    /// <summary>Extra configuration as command-line style key=value pairs.</summary>
    protected virtual IEnumerable<string> Settings()
    {
        yield return "--TileServer:IncludeDemoDatasets=true";
        yield return $"--TileServer:TileMatrixSetFiles:0={Path.Combine(Paths.RepoRoot, "tests", "TileServer.Api.Tests", "data", "CustomCRS84Quad.json")}";
        yield return $"--TileServer:Datasets:bluemarble-native:Path={Paths.RealData("blue-marble", "blue-marble.zarr")}";
        yield return $"--TileServer:Datasets:sst-ref:Path={Paths.Demo("oisst.zarr")}";
        yield return $"--TileServer:Datasets:wind:Path={Paths.RealData("wind", "uv.zarr")}";
        yield return $"--TileServer:Datasets:lcc:Path={Paths.RealData("lcc", "daymet_lcc.zarr")}";
        yield return $"--TileServer:Datasets:global4326:Path={Paths.GeoZarr("global-4326", "global-4326.zarr")}";
        yield return $"--TileServer:Datasets:wmpyramid:Path={Paths.GeoZarr("webmercator-pyramid", "pyramid-geozarr.zarr")}";
        yield return $"--TileServer:Datasets:wmpyramid-nd:Path={Paths.GeoZarr("webmercator-pyramid", "pyramid-ndpyramid.zarr")}";
        yield return $"--TileServer:Datasets:utm:Path={Paths.GeoZarr("utm-native-pyramid", "utm-native-pyramid.zarr")}";
        yield return $"--TileServer:Datasets:global4326-v3:Path={Paths.GeoZarr("v3", "global-4326", "global-4326.zarr")}";
        yield return $"--TileServer:Datasets:utm-v3:Path={Paths.GeoZarr("v3", "utm-native-pyramid", "utm-native-pyramid.zarr")}";
        yield return $"--TileServer:Datasets:inline-tms:Path={_inlineTmsStore}";
        // The Landsat demo store without the demo's default bands: one band at a time, chosen by its band dimension.
        yield return $"--TileServer:Datasets:landsat-bands:Path={Paths.Demo("landsat-L7_ETMs.zarr")}";
        yield return $"--TileServer:Datasets:landcover:Path={Paths.TestData("areas", "landcover.zarr")}";
        yield return $"--TileServer:Datasets:broken:Path={Path.Combine(Path.GetTempPath(), "no-such-store-" + Guid.NewGuid().ToString("N"))}";
    }

    /// <summary>
    /// The GeoZarr TMS pyramid fixture with its TileMatrixSet given inline (a copy of WebMercatorQuad's first four
    /// matrices under another id) instead of by name, as the GeoZarr draft allows.
    /// </summary>
    private string _inlineTmsStore = "";

    private static string PrepareInlineTmsStore()
    {
        string source = Paths.GeoZarr("webmercator-pyramid", "pyramid-geozarr.zarr");
        string target = Path.Combine(Path.GetTempPath(), "tileserver-inline-tms-" + Guid.NewGuid().ToString("N"));

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var dest = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest);
            File.SetAttributes(dest, FileAttributes.Normal);
        }

        var tms = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Paths.Existing(Path.Combine(Paths.RepoRoot, "src", "TileServer.Tiling", "Data", "tms", "WebMercatorQuad.json"))))!.AsObject();
        tms["id"] = "InlineMercatorQuad";
        tms.Remove("uri");
        var matrices = tms["tileMatrices"]!.AsArray();
        while (matrices.Count > 4)
        {
            matrices.RemoveAt(matrices.Count - 1);
        }

        foreach (var path in new[] { Path.Combine(target, ".zattrs") })
        {
            var attrs = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
            attrs["multiscales"]!["tile_matrix_set"] = tms.DeepClone();
            File.WriteAllText(path, attrs.ToJsonString());
        }

        var zmetaPath = Path.Combine(target, ".zmetadata");
        var zmeta = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(zmetaPath))!;
        zmeta["metadata"]![".zattrs"]!["multiscales"]!["tile_matrix_set"] = tms.DeepClone();
        File.WriteAllText(zmetaPath, zmeta.ToJsonString());
        return target;
    }

    public async Task InitializeAsync()
    {
        _inlineTmsStore = PrepareInlineTmsStore();
        var args = new List<string> { "--urls=http://127.0.0.1:0", "--Serilog:MinimumLevel:Default=Warning" };
        args.AddRange(Settings());
        _app = TileServerApp.Build([.. args]);
        await _app.StartAsync();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().TrimEnd('/');
        Client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_inlineTmsStore.Length > 0 && Directory.Exists(_inlineTmsStore))
        {
            Directory.Delete(_inlineTmsStore, true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
