using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TileServer.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TileServer.Api.Tests.Interop;

/// <summary>
/// Two real servers on 127.0.0.1: the built-in demo datasets (demo, sst, landsat), and sst first (so that the WMTS
/// clients, which look at the first layer, meet a layer with a Time dimension and several styles) with the hourly
/// wind sample after it (a Time dimension of several values).
/// </summary>
public sealed class InteropServers : IAsyncLifetime
{
    private WebApplication? _demo;
    private WebApplication? _sst;

    public string DemoBaseUrl { get; private set; } = "";
    public string SstBaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        (_demo, DemoBaseUrl) = await StartAsync([]);
        string oisst = Path.Combine(AppContext.BaseDirectory, "data", "demo", "oisst.zarr");
        (_sst, SstBaseUrl) = await StartAsync(
        [
            $"--TileServer:Datasets:sst:Path={oisst}", "--TileServer:Datasets:sst:DefaultVariable=sst",
            "--TileServer:Datasets:sst:Rendering:Rescale=-2,32", "--TileServer:Datasets:sst:Rendering:ColormapName=turbo",
            // One advertised colormap besides 'default': GDAL opens one subdataset per layer x TileMatrixSet x style.
            "--TileServer:Wmts:Styles:0=viridis",
            // Ten hourly time steps: GDAL reads the first and the last as the layer's Default and must see different pixels.
            $"--TileServer:Datasets:wind:Path={Paths.RealData("wind", "uv.zarr")}", "--TileServer:Datasets:wind:DefaultVariable=u",
        ]);
    }

    private static async Task<(WebApplication App, string BaseUrl)> StartAsync(string[] settings)
    {
        var app = TileServerApp.Build(["--urls=http://127.0.0.1:0", "--Serilog:MinimumLevel:Default=Warning", .. settings]);
        await app.StartAsync();
        string url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return (app, url);
    }

    public async Task DisposeAsync()
    {
        foreach (var app in new[] { _demo, _sst })
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }
}

/// <summary>
/// Third-party clients (GDAL WMTS + OGCAPI drivers, OWSLib, the TileJSON checker, MapLibre and OpenLayers in headless
/// Chromium) driven by the project's own scripts, <c>tests/interop/check_all.sh</c>; <c>tests/run.sh</c> installs the clients.
/// </summary>
public sealed partial class InteropClientTests : IClassFixture<InteropServers>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);
    private readonly InteropServers _servers;
    private readonly ITestOutputHelper _output;

    public InteropClientTests(InteropServers servers, ITestOutputHelper output)
    {
        _servers = servers;
        _output = output;
    }

    [Fact]
    public async Task Real_clients_pass_against_the_demo_and_sst_datasets()
    {
        string checkAll = Paths.Existing(Path.Combine(Paths.RepoRoot, "tests", "interop", "check_all.sh"));
        string nodeModules = Path.Combine(Paths.RepoRoot, "tests", "tools", "node_modules");
        Assert.True(Directory.Exists(Path.Combine(nodeModules, "maplibre-gl")) && Directory.Exists(Path.Combine(nodeModules, "ol")) && Directory.Exists(Path.Combine(nodeModules, "playwright-core")),
            $"The web map clients are not installed in {nodeModules}: run tests/run.sh (installs GDAL, OWSLib, Chromium and, with npm ci, MapLibre GL JS, OpenLayers and playwright-core).");

        // Both runs at once: they hit different servers and write to their own folders.
        var runs = await Task.WhenAll(RunAsync(checkAll, _servers.DemoBaseUrl, "demo"), RunAsync(checkAll, _servers.SstBaseUrl, "sst"));
        var failures = new StringBuilder();
        foreach (var run in runs)
        {
            _output.WriteLine(run.Output);
            string? summary = run.Output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => SummaryLine().IsMatch(l));
            var m = summary is null ? null : SummaryLine().Match(summary);
            if (m is null || m.Groups["failed"].Value != "0" || int.Parse(m.Groups["passed"].Value, System.Globalization.CultureInfo.InvariantCulture) == 0 || run.ExitCode != 0)
            {
                failures.AppendLine($"== check_all.sh {run.BaseUrl} {run.Dataset}: exit {run.ExitCode}, closing line '{summary ?? "(none)"}'");
                failures.AppendLine(run.Output);
                foreach (var log in Directory.Exists(run.OutDir) ? Directory.GetFiles(run.OutDir, "*.log").Order().ToArray() : [])
                {
                    string text = await File.ReadAllTextAsync(log);
                    if (text.Contains("FAIL", StringComparison.Ordinal) || !SummaryLine().IsMatch(text))
                    {
                        failures.AppendLine($"---- {Path.GetFileName(log)} (last 60 lines)");
                        failures.AppendLine(string.Join('\n', text.Split('\n').TakeLast(60)));
                    }
                }
            }
        }

        Assert.True(failures.Length == 0, failures.ToString());
        foreach (var run in runs.Where(r => Directory.Exists(r.OutDir)))
        {
            Directory.Delete(run.OutDir, recursive: true);   // kept only when something failed, for its screenshots
        }
    }

    private static async Task<RunResult> RunAsync(string checkAll, string baseUrl, string dataset)
    {
        string outDir = Path.Combine(Path.GetTempPath(), $"interop-{dataset}-{Guid.NewGuid():N}");
        var psi = new ProcessStartInfo("bash", [checkAll, baseUrl, dataset])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["OUT_DIR"] = outDir;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(RunTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        string output = await stdout + await stderr;
        return new RunResult(baseUrl, dataset, outDir, process.ExitCode, output);
    }

    private sealed record RunResult(string BaseUrl, string Dataset, string OutDir, int ExitCode, string Output);

    [GeneratedRegex(@"^(?<passed>[0-9]+) passed, (?<failed>[0-9]+) failed$")]
    private static partial Regex SummaryLine();
}
