using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using TileServer.Api.Tests.Infrastructure;
using TileServer.Delivery.Tests.Infrastructure;

namespace TileServer.Api.Tests.Operations;

/// <summary>The built server as its own process, stopped with SIGTERM while requests are in flight.</summary>
public sealed class GracefulShutdownTests
{
    /// <summary>An HTTP store serving a Zarr folder whose data chunks answer slowly, so that tile requests are in flight on demand.</summary>
    private static async Task<(WebApplication App, string Url)> SlowStoreAsync(string folder, TimeSpan chunkDelay)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/{**key}", async (string key) =>
        {
            string path = Path.GetFullPath(Path.Combine(folder, key));
            if (!path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path))
            {
                return Results.NotFound();
            }

            if (key.StartsWith("sst/", StringComparison.Ordinal) && !Path.GetFileName(key).StartsWith('.'))
            {
                await Task.Delay(chunkDelay);
            }

            return Results.File(path, "application/octet-stream", enableRangeProcessing: true);
        });
        await app.StartAsync();
        return (app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/'));
    }

    [Fact]
    public async Task Sigterm_turns_readiness_false_first_finishes_in_flight_requests_and_exits_within_the_grace_period()
    {
        string serverDll = Path.Combine(AppContext.BaseDirectory, "TileServer.Api.dll");
        Assert.True(File.Exists(serverDll), "the server build is missing beside the tests: " + serverDll);
        var (store, storeUrl) = await SlowStoreAsync(Paths.Demo("oisst.zarr"), TimeSpan.FromSeconds(3));
        await using var _ = store;
        int port = RedisServer.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                serverDll, $"--urls=http://127.0.0.1:{port}", "--TileServer:Datasets:slow:Path=" + storeUrl, "--TileServer:Datasets:slow:DefaultVariable=sst",
                "--TileServer:Datasets:slow:Rendering:Rescale=-2,32", "--TileServer:Shutdown:DrainSeconds=2", "--TileServer:Shutdown:GraceSeconds=20",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitReadyAsync(client);

            var inFlight = Enumerable.Range(0, 3).Select(i => client.GetAsync($"/tiles/slow/1/{i % 2}/{i / 2}.png")).ToArray();
            await Task.Delay(700);
            var signalled = Stopwatch.StartNew();
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            // Readiness first: 503 while the process still accepts and serves. The signal is handled asynchronously, so
            // readiness is polled, within the drain period (2 s) during which the server must still answer.
            HttpResponseMessage readiness;
            do
            {
                readiness = await client.GetAsync("/readyz");
            }
            while (readiness.StatusCode == HttpStatusCode.OK && signalled.Elapsed < TimeSpan.FromSeconds(1.5) && await Delay(50));

            using (readiness)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
                Assert.Contains("draining", await readiness.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            using (var live = await client.GetAsync("/healthz"))
            {
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            }

            foreach (var request in inFlight)
            {
                using var response = await request;
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
                Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100);
            }

            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(25));
            await process.WaitForExitAsync(exit.Token);
            Assert.Equal(0, process.ExitCode);
            Assert.True(signalled.Elapsed < TimeSpan.FromSeconds(20), $"exited {signalled.Elapsed.TotalSeconds:0.0} s after SIGTERM (grace period 20 s)");
            Assert.True(signalled.Elapsed >= TimeSpan.FromSeconds(2), "exited before the drain period ended");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static async Task<bool> Delay(int milliseconds)
    {
        await Task.Delay(milliseconds);
        return true;
    }

    private static async Task WaitReadyAsync(HttpClient client)
    {
        for (int i = 0; i < 300; i++)
        {
            try
            {
                using var response = await client.GetAsync("/readyz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        Assert.Fail("the server process did not become ready within 30 s");
    }
}
