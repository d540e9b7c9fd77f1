using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TileServer.Delivery.Tests.Infrastructure;

namespace TileServer.Api.Tests.Operations;

/// <summary>
/// A real Prometheus (the Debian package) on 127.0.0.1 scraping one target every second, with its data in a
/// temporary folder. Missing prometheus fails the test, naming the package that installs it.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly HttpClient _http;

    private PrometheusServer(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public static async Task<PrometheusServer> StartAsync(string targetHostPort)
    {
        string exe = new[] { "/usr/bin/prometheus", "/usr/local/bin/prometheus" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("prometheus is not installed: run `apt-get install prometheus` (tests/run.sh installs it)");
        string folder = Path.Combine(Path.GetTempPath(), "tileserver-prometheus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string config = Path.Combine(folder, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: tileserver
                metrics_path: /metrics
                static_configs:
                  - targets: ['{targetHostPort}']
            """);
        int port = RedisServer.FreePort();
        var start = new ProcessStartInfo(exe)
        {
            ArgumentList = { "--config.file=" + config, "--storage.tsdb.path=" + Path.Combine(folder, "data"), "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, folder, port);
        for (int i = 0; i < 200; i++)
        {
            try
            {
                if ((await server._http.GetAsync("/-/ready")).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        await server.DisposeAsync();
        throw new InvalidOperationException("prometheus did not become ready within 20 s");
    }

    /// <summary>The single value of an instant PromQL query, or null when the result is empty.</summary>
    public async Task<double?> QueryAsync(string promql)
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql)));
        var result = doc.RootElement.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 0 ? null : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, true);
    }
}
