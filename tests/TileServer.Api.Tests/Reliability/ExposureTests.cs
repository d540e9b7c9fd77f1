using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Serilog.Events;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests.Reliability;

/// <summary>
/// What the server shows and believes: no store locations or URL secrets in documents, problems or logs; forwarded
/// headers only from configured proxies; slow clients cost a socket only until Kestrel's timeouts; honest log levels.
/// </summary>
public sealed class ExposureTests
{
    private const string Signature = "c2lnbmF0dXJlLXNlY3JldA";
    private const string Token = "tok-7f3a9e";

    [Fact]
    public async Task Store_locations_and_query_string_secrets_appear_nowhere_a_client_or_the_log_sees()
    {
        string folder = Path.Combine(Path.GetTempPath(), "private-share-" + Guid.NewGuid().ToString("N"));
        await using var app = await AppHost.StartAsync(
            $"--TileServer:Datasets:signed:Path=http://127.0.0.1:9/bucket/store.zarr?X-Amz-Signature={Signature}&token={Token}",
            $"--TileServer:Datasets:local:Path={folder}/missing.zarr",
            "--TileServer:Retry:MaxAttempts=1",
            "--TileServer:IncludeDemoDatasets=true");
        var bodies = new List<string>
        {
            await app.Client.GetStringAsync("/datasets"),
            await (await app.Client.GetAsync("/readyz")).Content.ReadAsStringAsync(),
        };
        foreach (var url in new[] { "/datasets/signed", "/datasets/local" })
        {
            bodies.Add(await app.Client.GetStringAsync(url));
        }

        foreach (var url in new[] { "/tiles/signed/0/0/0.png", "/tiles/local/0/0/0.png", "/datasets/local/point?lon=0&lat=0" })
        {
            bodies.Add((await HttpAssert.ProblemAsync(await app.Client.GetAsync(url), HttpStatusCode.ServiceUnavailable)).ToJsonString());
        }

        // The reason is still there, naming the dataset.
        var listed = JsonNode.Parse(bodies[0])!["datasets"]!.AsArray().Single(d => (string?)d!["id"] == "local")!;
        Assert.Equal("unavailable", (string?)listed["status"]);
        Assert.Contains("local", (string?)listed["error"] ?? "", StringComparison.Ordinal);

        string logs = app.Events.Text;
        foreach (var secret in new[] { Signature, Token, folder, "private-share-" })
        {
            Assert.All(bodies, body => Assert.DoesNotContain(secret, body, StringComparison.Ordinal));
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Forwarded_headers_are_honoured_only_from_a_configured_proxy()
    {
        await using var app = await AppHost.StartAsync("--TileServer:Proxy:KnownProxies:0=127.0.0.1");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/tiles/demo/tilejson.json");
        request.Headers.Add("X-Forwarded-Host", "tiles.example.org");
        request.Headers.Add("X-Forwarded-Proto", "https");
        var tilejson = await HttpAssert.JsonAsync(await app.Client.SendAsync(request));
        Assert.StartsWith("https://tiles.example.org/tiles/demo/", (string)tilejson["tiles"]![0]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_public_base_url_wins_over_forwarded_headers()
    {
        await using var app = await AppHost.StartAsync("--TileServer:Proxy:KnownProxies:0=127.0.0.1", "--TileServer:Proxy:PublicBaseUrl=https://maps.example.net/zarr");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/tiles/demo/tilejson.json");
        request.Headers.Add("X-Forwarded-Host", "evil.example");
        var tilejson = await HttpAssert.JsonAsync(await app.Client.SendAsync(request));
        Assert.StartsWith("https://maps.example.net/zarr/tiles/demo/", (string)tilejson["tiles"]![0]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_never_finishes_its_headers_is_dropped_by_the_header_timeout()
    {
        await using var app = await AppHost.StartAsync("--Kestrel:Limits:RequestHeadersTimeout=00:00:01");
        var uri = new Uri(app.BaseUrl);
        using var socket = new TcpClient();
        await socket.ConnectAsync(uri.Host, uri.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "));

        // The server answers 408 and closes; reading to the end proves the socket was let go.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new MemoryStream();
        var buffer = new byte[1024];
        int n;
        while ((n = await stream.ReadAsync(buffer, limit.Token)) > 0)
        {
            received.Write(buffer, 0, n);
        }

        string answer = Encoding.ASCII.GetString(received.ToArray());
        Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), answer);
    }

    [Fact]
    public async Task Client_errors_log_at_Information_without_a_trace_and_server_errors_at_Error_with_the_trace_id()
    {
        string folder = Path.Combine(Path.GetTempPath(), "absent-" + Guid.NewGuid().ToString("N"));
        await using var app = await AppHost.StartAsync($"--TileServer:Datasets:gone:Path={folder}", "--TileServer:IncludeDemoDatasets=true");
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Client.GetAsync("/tiles/demo/0/0/0.png?tilesize=9")).StatusCode);
        var unavailable = await HttpAssert.ProblemAsync(await app.Client.GetAsync("/tiles/gone/0/0/0.png"), HttpStatusCode.ServiceUnavailable);
        string traceId = (string)unavailable["traceId"]!;

        await AppHost.WaitForAsync(() => app.Events.Requests(400).Any() && app.Events.Requests(503).Any(), "the request log entries");
        Assert.All(app.Events.Requests(400), clientError => Assert.True(clientError.Level == LogEventLevel.Information && clientError.Exception is null, app.Events.RequestLog));
        Assert.DoesNotContain(app.Events.All, e => e.Level >= LogEventLevel.Warning && e.RenderMessage().Contains("tilesize", StringComparison.Ordinal));

        Assert.Contains(app.Events.Requests(503), e => e.Level == LogEventLevel.Error && e.Properties.TryGetValue("TraceId", out var t) && ((ScalarValue)t).Value as string == traceId);
        Assert.Contains(app.Events.All, e => e.Level == LogEventLevel.Error && e.Properties.TryGetValue("TraceId", out var t) && ((ScalarValue)t).Value as string == traceId
            && !e.Properties.ContainsKey("Elapsed"));
    }
}
